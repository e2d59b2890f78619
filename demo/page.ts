/// <reference lib="dom" />
// The page of `deno task demo`, bundled for the browser: picks the fastest
// backend that starts (webgl, then wasm, then cpu) and says which, loads the
// embedded digits (and a saved model) from the server that served it, and
// shows three views: Train, Explore, Fit. `/?train` starts training on load,
// `/?fit=banana` (mixture, funnel) a fit, `/?backend=wasm` (cpu) tries that
// backend first; the state a test reads is on document.body.dataset.
import { useBackend } from "../tensor.ts";
import { VAE } from "../models.ts";
import { el } from "./draw.ts";
import { expose, type PageState, parseDigits } from "./state.ts";
import { trainView } from "./train_view.ts";
import { exploreView } from "./explore_view.ts";
import { fitView } from "./fit_view.ts";

const BACKENDS = ["webgl", "wasm", "cpu"] as const;

/**
 * The first backend of webgl, wasm, cpu (`first` tried before them, from
 * `?backend=`) that starts, and why those before it did not.
 */
async function startBackend(first: string | null): Promise<{ backend: string; notes: string[] }> {
  const notes: string[] = [];
  const order = BACKENDS.filter((b) => b === first).concat(BACKENDS.filter((b) => b !== first));
  if (first !== null && !order.includes(first as typeof BACKENDS[number])) {
    notes.push(`?backend=${first} is not one of ${BACKENDS.join(", ")}`);
  }
  for (const name of order) {
    try {
      await useBackend(name);
      return { backend: name, notes };
    } catch (e) {
      notes.push(`${name} did not start (${(e as Error).message})`);
    }
  }
  throw new Error(`no backend started: ${notes.join("; ")}`);
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const notice = el("p", { id: "backend", role: "status" }, "Starting a backend…");
  const header = el(
    "header",
    {},
    el("h1", {}, "elbo: variational inference in the browser"),
    notice,
  );
  document.body.append(header);
  const { backend, notes } = await startBackend(params.get("backend"));
  expose("backend", backend);
  notice.textContent = backend === "webgl"
    ? "Running on webgl (the GPU)."
    : notes.length
    ? `Running on ${backend}, on the CPU (slower): ${notes.join("; ")}.`
    : `Running on ${backend}, as ?backend= asked (webgl, the GPU, is usually faster).`;
  notice.className = backend === "webgl" ? "ok" : "warn";

  const [train, test] = await Promise.all(
    ["digits-train.bin", "digits-test.bin"].map(async (name) => {
      const r = await fetch(name);
      if (!r.ok) throw new Error(`${name}: ${r.status} ${r.statusText}`);
      return parseDigits(await r.arrayBuffer(), name);
    }),
  );
  const page: PageState = { backend, train: train!, test: test!, onModel: [] };
  const config = await (await fetch("config.json")).json() as { model?: string };

  const views = {
    train: trainView(page, params.has("train")),
    explore: exploreView(page),
    fit: fitView(page, params.get("fit") ?? undefined),
  };
  const tabs = Object.keys(views).map((key) =>
    el("button", {
      type: "button",
      role: "tab",
      id: `tab-${key}`,
      "aria-controls": key,
      onclick: () => select(key as keyof typeof views),
    }, key[0]!.toUpperCase() + key.slice(1))
  );
  const select = (key: keyof typeof views) => {
    for (const [k, v] of Object.entries(views)) v.hidden = k !== key;
    tabs.forEach((t) => t.setAttribute("aria-selected", String(t.id === `tab-${key}`)));
    expose("view", key);
    if (key === "explore") (views.explore as HTMLElement & { refresh?: () => void }).refresh?.();
  };
  document.body.append(el("nav", { role: "tablist" }, ...tabs), ...Object.values(views));

  if (config.model) {
    page.model = await VAE.load(new URL("model/", location.href));
    page.onModel.forEach((f) => f());
    notice.textContent += ` Opened the model ${config.model}.`;
    select("explore");
  } else select(params.has("fit") ? "fit" : "train");
  expose("ready", 1);
}

main().catch((e) => {
  expose("error", String((e as Error).message ?? e));
  document.body.append(el("p", { class: "warn" }, `The page failed: ${(e as Error).message}`));
});
