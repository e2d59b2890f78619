// Runs a bundled page in Debian's headless Chromium (WebGL2 through
// SwiftShader) and returns what the page posts to /result. Where Chromium is
// missing, a test that needs it is skipped with one printed line naming the
// package, unless CI is set (then it fails: CI installs it).
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { hasSystemPackage } from "../_system.ts";

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless, WebGL2 through SwiftShader, and nothing fetched from outside the machine. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Whether Chromium can run here; prints why not, for a skipped test (unless CI). */
export const HAS_CHROMIUM: boolean = hasSystemPackage(CHROMIUM, "chromium", "the browser tests");

/** What a page needs: its entry module, extra files to serve, and a time limit. */
export interface PageOptions {
  /** The page's module, bundled with `deno bundle --platform browser`. */
  entry: string;
  /** Extra files served next to it, by name. */
  files?: Record<string, string | Uint8Array>;
  /** Milliseconds to wait for the page's result (default 180,000). */
  timeoutMs?: number;
}

const TYPES: Record<string, string> = {
  html: "text/html",
  js: "text/javascript",
  json: "application/json",
  bin: "application/octet-stream",
};

/**
 * Bundles `entry`, serves it with `files` from a temporary folder on
 * 127.0.0.1, opens it in headless Chromium, and returns the text the page
 * posts to /result (its error, with Chromium's last words, if none comes).
 */
export async function runPage(options: PageOptions): Promise<string> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  }
  const dir = await Deno.makeTempDir({ prefix: "elbo-page-" });
  const profile = await Deno.makeTempDir({ prefix: "elbo-chromium-" });
  const root = fileURLToPath(new URL("../..", import.meta.url));
  try {
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "browser", "-o", `${dir}/app.js`, options.entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (bundle.code !== 0) throw new Error(new TextDecoder().decode(bundle.stderr));
    await Deno.writeTextFile(
      `${dir}/index.html`,
      '<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script type="module" src="app.js"></script>',
    );
    for (const [name, body] of Object.entries(options.files ?? {})) {
      await Deno.mkdir(dirname(`${dir}/${name}`), { recursive: true });
      await (typeof body === "string"
        ? Deno.writeTextFile(`${dir}/${name}`, body)
        : Deno.writeFile(`${dir}/${name}`, body));
    }
    let deliver: (text: string) => void = () => {};
    const posted = new Promise<string>((resolve) => deliver = resolve);
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req) => {
        const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "") ||
          "index.html";
        if (req.method === "POST" && path === "result") {
          deliver(await req.text());
          return new Response("ok");
        }
        if (path.includes("..")) return new Response("no", { status: 400 });
        try {
          return new Response(await Deno.readFile(`${dir}/${path}`), {
            headers: { "content-type": TYPES[path.split(".").pop()!] ?? "text/plain" },
          });
        } catch {
          return new Response("not found", { status: 404 });
        }
      },
    );
    const browser = new Deno.Command(CHROMIUM, {
      args: [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${profile}`,
        `http://127.0.0.1:${server.addr.port}/index.html`,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = options.timeoutMs ?? 180_000;
    const text = await Promise.race([
      posted,
      new Promise<string>((resolve) => timer = setTimeout(() => resolve("timeout"), limit)),
    ]);
    clearTimeout(timer);
    browser.kill("SIGKILL");
    const stderr = new TextDecoder().decode((await browser.output()).stderr);
    await server.shutdown();
    if (!text.startsWith("{")) {
      throw new Error(
        `the page did not report within ${limit / 1000} s:\n${stderr.slice(-2000)}`,
      );
    }
    return text;
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(profile, { recursive: true });
  }
}
