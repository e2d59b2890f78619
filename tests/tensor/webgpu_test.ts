import { assertAllClose } from "../_tolerance.ts";

async function check(): Promise<
  { adapter: boolean; runs?: Record<string, number[][]>; error?: string }
> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--unstable-webgpu",
      "tests/tensor/_webgpu_check.ts",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (out.code !== 0) return { adapter: true, error: new TextDecoder().decode(out.stderr) };
  return JSON.parse(text);
}

const result = await check();

Deno.test({
  name: "the webgpu backend trains the VAE and agrees with wasm",
  // Some machines have no WebGPU adapter at all; this one answers with a
  // software (llvmpipe) adapter, and there the check must pass.
  ignore: !result.adapter,
  fn: () => {
    if (result.error) throw new Error(`the webgpu run failed:\n${result.error}`);
    const { wasm, webgpu } = result.runs!;
    assertAllClose(
      webgpu!.flat(),
      wasm!.flat(),
      { abs: 1e-3, rel: 1e-4 },
      "loss, reconstruction, KL of 3 steps",
    );
  },
});
