// Drives headless Chromium through the DevTools protocol (a WebSocket, no
// library): open a page, evaluate expressions in it, press keys, take
// screenshots. For the tests of pages a person uses (the demo), where a page
// reporting its own result is not enough.

import { CHROMIUM, CHROMIUM_FLAGS } from "./_chromium.ts";

/** A page open in headless Chromium. */
export interface Browser {
  /** Evaluates `expression` in the page (awaiting a promise) and returns its JSON value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Sends one DevTools command to the page. */
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Loads `url` and waits for its load event. */
  navigate(url: string): Promise<void>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Uint8Array>;
  /** Presses a key (`ArrowRight`, …) in the focused element. */
  press(key: string, keyCode: number): Promise<void>;
  /** Polls `expression` every 200 ms until it is truthy; throws after `ms`. */
  waitFor(expression: string, ms: number, what: string): Promise<void>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Starts headless Chromium (WebGL2 through SwiftShader) at `url`, 1200 × 1000. */
export async function openBrowser(url: string): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "elbo-cdp-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [
      ...CHROMIUM_FLAGS,
      "--remote-debugging-port=0",
      "--window-size=1200,1000",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let socket: WebSocket | undefined;
  const close = async () => {
    socket?.close();
    try {
      child.kill("SIGKILL");
    } catch { /* gone already */ }
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    // Chromium writes its port to DevToolsActivePort once it listens.
    let port = 0;
    for (let i = 0; i < 150 && !port; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        port = Number((await Deno.readTextFile(`${profile}/DevToolsActivePort`)).split("\n")[0]);
      } catch { /* not yet */ }
    }
    if (!port) throw new Error("Chromium did not open its DevTools port within 15 s");
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as {
      type: string;
      webSocketDebuggerUrl: string;
    }[];
    const page = targets.find((t) => t.type === "page");
    if (!page) throw new Error("Chromium has no page open");
    const ws = new WebSocket(page.webSocketDebuggerUrl);
    socket = ws;
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("cannot connect to Chromium's DevTools"));
    });
    let next = 1;
    const waiting = new Map<number, (m: Record<string, unknown>) => void>();
    const events: ((m: Record<string, unknown>) => void)[] = [];
    const log: string[] = [];
    events.push((m) => {
      const p = m.params as Record<string, unknown> | undefined;
      if (m.method === "Runtime.exceptionThrown") {
        const d = p?.exceptionDetails as { text?: string; exception?: { description?: string } };
        log.push(`exception: ${d?.exception?.description ?? d?.text}`);
      } else if (m.method === "Runtime.consoleAPICalled") {
        const args = (p?.args ?? []) as { value?: unknown; description?: string }[];
        log.push(`console.${p?.type}: ${args.map((a) => a.value ?? a.description).join(" ")}`);
      }
    });
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.id !== undefined) waiting.get(m.id)?.(m);
      else events.forEach((f) => f(m));
    };
    const send = (method: string, params: Record<string, unknown> = {}) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const id = next++;
        waiting.set(id, (m) => {
          waiting.delete(id);
          if (m.error) reject(new Error(`${method}: ${JSON.stringify(m.error)}`));
          else resolve(m.result as Record<string, unknown>);
        });
        ws.send(JSON.stringify({ id, method, params }));
      });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = await send("Runtime.evaluate", {
        expression,
        awaitPromise: true,
        returnByValue: true,
      }) as { result: { value: T }; exceptionDetails?: { text: string } };
      if (r.exceptionDetails) {
        throw new Error(`${expression}: ${JSON.stringify(r.exceptionDetails)}`);
      }
      return r.result.value;
    };
    await send("Page.enable");
    await send("Runtime.enable");
    await send("Emulation.setDeviceMetricsOverride", {
      width: 1200,
      height: 1000,
      deviceScaleFactor: 1,
      mobile: false,
    });
    const browser: Browser = {
      evaluate,
      send,
      navigate: async (to) => {
        const loaded = new Promise<void>((resolve) =>
          events.push((m) => m.method === "Page.loadEventFired" && resolve())
        );
        await send("Page.navigate", { url: to });
        await loaded;
      },
      screenshot: async () => {
        const r = await send("Page.captureScreenshot", { format: "png" }) as { data: string };
        return Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0));
      },
      press: async (key, keyCode) => {
        for (const type of ["keyDown", "keyUp"]) {
          await send("Input.dispatchKeyEvent", {
            type,
            key,
            code: key,
            windowsVirtualKeyCode: keyCode,
          });
        }
      },
      waitFor: async (expression, ms, what) => {
        const until = Date.now() + ms;
        while (!(await evaluate<boolean>(`Boolean(${expression})`))) {
          if (Date.now() > until) {
            const state = await evaluate<string>("JSON.stringify(document.body.dataset)");
            throw new Error(
              `${what}: not within ${ms / 1000} s (page state ${state}; page log: ${
                log.slice(-10).join(" | ") || "empty"
              })`,
            );
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      close,
    };
    await browser.navigate(url);
    return browser;
  } catch (e) {
    await close();
    throw e;
  }
}
