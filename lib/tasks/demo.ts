/**
 * `deno task demo`: the browser page of demo/ — train a VAE on WebGL, explore
 * its latent space, fit a posterior — bundled and served on 127.0.0.1.
 *
 *     deno task demo [--port 8000] [--model DIR]
 *
 * Bundles demo/page.ts for the browser (`deno bundle --platform browser`) and
 * serves it with everything it loads: the embedded MNIST digits, tfjs-wasm's
 * binaries (the page's fallback where WebGL is missing), and the model of
 * `--model`. Nothing is fetched from outside the machine.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { loadEmbeddedMnist } from "../data/mnist.ts";
import type { Dataset } from "../data/dataset.ts";
import type { ConfigOf, TaskSpec } from "../kit/settings.ts";
import { runMain, usageError } from "../kit/main.ts";
import { parseTaskArgs } from "../kit/parse.ts";
import { usageOf } from "../kit/views.ts";
import { useBackend } from "../tensor/backend.ts";
import { VAE } from "../models/vae.ts";

/** The settings of `deno task demo`, declared once. */
export const DEMO_SETTINGS = [
  {
    key: "port",
    flag: "port",
    rule: { kind: "integer", min: 0, max: 65535 },
    metavar: "N",
    default: 8000,
    help: "the port on 127.0.0.1 (0: any free one)",
    group: "Serve",
    onResume: "no",
  },
  {
    key: "model",
    flag: "model",
    rule: { kind: "text", maxLength: 4096 },
    metavar: "DIR",
    optional: true,
    defaultText: "–",
    help: "a VAE saved by deno task train (its run folder, or the model/ in it), opened in Explore",
    group: "Serve",
    onResume: "no",
  },
] as const;

/** `deno task demo`, for the task kit. */
export const DEMO_TASK: TaskSpec = {
  name: "demo",
  summary: [
    "Serves the browser page: train a VAE on the embedded MNIST digits on WebGL,",
    "explore its latent space, and fit Gaussian surrogates to 2-D posteriors.",
  ],
  settings: DEMO_SETTINGS,
  groups: ["Serve"],
};

/** The configuration of `deno task demo`. */
export type DemoConfig = ConfigOf<typeof DEMO_SETTINGS>;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  wasm: "application/wasm",
  bin: "application/octet-stream",
};

// The page bundles the public entries. Two of their imports are answered by
// stubs (the page's import map): the `mnist` package — the page fetches the
// digits as files rather than bundle 28 MB of JavaScript — and `node:zlib`,
// which only parseIdx's gzip branch calls.
const STUBS: Record<string, [string, string]> = {
  mnist: [
    "no-digits.js",
    `export default new Proxy({}, { get() {
  throw new Error("the MNIST digits are not bundled into the page: it fetches digits-train.bin and digits-test.bin");
} });`,
  ],
  "node:zlib": [
    "no-zlib.js",
    `export function gunzipSync() { throw new Error("gzipped IDX files need Deno: unzip them first"); }`,
  ],
};

const STYLE =
  `body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.15rem}h3{font-size:1rem;margin:1rem 0 .3rem}
nav{display:flex;gap:.4rem;margin:.8rem 0}nav button{padding:.4rem 1rem}
nav button[aria-selected=true]{background:#0072b2;color:#fff;border:1px solid #0072b2}
.controls{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;margin:.5rem 0}
.controls input[type=number]{width:4.5rem}.row{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.sliders{display:grid;gap:.2rem;min-width:22rem}.sliders label{display:flex;gap:.5rem;align-items:center}
.sliders input{flex:1}.status{color:#333;font-variant-numeric:tabular-nums}.formula{font-family:ui-monospace,monospace}
.ok{color:#006d4f}.warn{color:#a04000}canvas{border:1px solid #ccc;margin:.2rem 0;image-rendering:pixelated}
:focus-visible{outline:3px solid #e69f00;outline-offset:2px}`;

/** The digits file the page reads (demo/state.ts): count, labels, then 784 bytes an image. */
function digitsFile(d: Dataset): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(4 + d.count + d.count * 784);
  new DataView(out.buffer).setUint32(0, d.count, true);
  out.set(d.labels, 4);
  for (let i = 0; i < d.count * 784; i++) out[4 + d.count + i] = Math.round(255 * d.images[i]!);
  return out;
}

/** The folder of a saved VAE: `dir`, or `dir/model` for a run folder of train. */
async function modelFolder(dir: string): Promise<string> {
  for (const candidate of [`${dir}/model`, dir]) {
    try {
      if ((await Deno.stat(`${candidate}/model.json`)).isFile) return candidate;
    } catch { /* try the next */ }
  }
  try {
    await Deno.stat(dir);
  } catch {
    throw new Error(`--model ${dir}: no such folder`);
  }
  throw new Error(
    `--model ${dir}: no model.json in it or in its model/ folder (give a run folder of deno task train, or the model/ in it)`,
  );
}

/** A running demo server. */
export interface DemoServer {
  /** The page's address, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** Stops serving. */
  shutdown(): Promise<void>;
}

/**
 * Bundles the page and serves it, with the digits, tfjs-wasm's binaries and
 * the model of `config.model`, on 127.0.0.1.
 *
 * @param config The port (0: any free one) and the model's folder.
 * @returns The server, listening.
 * @throws {Error} If the model cannot be opened, the page cannot be
 *   bundled, or the port is taken.
 */
export async function serveDemo(config: DemoConfig): Promise<DemoServer> {
  const files = new Map<string, Uint8Array<ArrayBuffer> | string>();
  if (config.model !== undefined) {
    const dir = await modelFolder(config.model);
    await useBackend("cpu");
    try {
      (await VAE.load(dir)).dispose();
    } catch (e) {
      throw new Error(`--model ${config.model}: ${(e as Error).message}`);
    }
    for await (const f of Deno.readDir(dir)) {
      if (f.isFile) files.set(`model/${f.name}`, await Deno.readFile(`${dir}/${f.name}`));
    }
  }
  const tmp = await Deno.makeTempDir({ prefix: "elbo-demo-" });
  try {
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--platform",
        "browser",
        "--minify",
        "--external",
        "mnist",
        "-o",
        `${tmp}/app.js`,
        "demo/page.ts",
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (bundle.code !== 0) {
      throw new Error(`bundling demo/page.ts failed: ${new TextDecoder().decode(bundle.stderr)}`);
    }
    files.set("app.js", await Deno.readFile(`${tmp}/app.js`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  const wasmDir = fileURLToPath(new URL(".", import.meta.resolve("@tensorflow/tfjs-backend-wasm")));
  for (const name of ["", "-simd", "-threaded-simd"]) {
    const file = `tfjs-backend-wasm${name}.wasm`;
    files.set(file, await Deno.readFile(`${wasmDir}/${file}`));
  }
  const { train, test } = loadEmbeddedMnist();
  files.set("digits-train.bin", digitsFile(train));
  files.set("digits-test.bin", digitsFile(test));
  for (const [file, body] of Object.values(STUBS)) files.set(file, body);
  files.set("config.json", JSON.stringify({ model: config.model ?? null }));
  files.set(
    "index.html",
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>elbo: variational inference in the browser</title><style>${STYLE}</style>
<script type="importmap">${
      JSON.stringify({
        imports: Object.fromEntries(Object.entries(STUBS).map(([k, [file]]) => [k, `./${file}`])),
      })
    }</script>
<body><script type="module" src="app.js"></script></body></html>`,
  );
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname: "127.0.0.1", port: config.port, onListen: () => {} }, (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "") ||
        "index.html";
      const body = req.method === "GET" || req.method === "HEAD" ? files.get(path) : undefined;
      if (body === undefined) return new Response("not found", { status: 404 });
      return new Response(body, {
        headers: { "content-type": TYPES[path.split(".").pop()!] ?? "text/plain" },
      });
    });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) {
      throw new Error(`port ${config.port} on 127.0.0.1 is in use: pick another with --port N`);
    }
    throw e;
  }
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    shutdown: () => server.shutdown(),
  };
}

async function main(args: string[]): Promise<void> {
  const parsed = parseTaskArgs<DemoConfig>(DEMO_TASK, args);
  if (parsed.kind === "help") return void console.log(parsed.usage);
  if (parsed.kind !== "run") {
    usageError(parsed.kind === "error" ? parsed.message : "demo cannot resume", usageOf(DEMO_TASK));
  }
  console.log("Bundling the page…");
  const server = await serveDemo(parsed.config);
  console.log(`elbo demo: ${server.url}  (Ctrl-C stops it)`);
  console.log(
    `  ${server.url}?train starts training at once; ${server.url}?fit=banana (mixture, funnel) a fit`,
  );
}

if (import.meta.main) await runMain(() => main(Deno.args));
