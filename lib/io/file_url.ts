// Folder paths and file: URLs for the files elbo saves and loads. A path
// becomes a URL by percent-encoding (never by concatenation), so that any
// name the system accepts — with `#`, `?`, `%`, spaces — names that folder.
// Written out rather than imported from `node:url`, so that models also load
// in a browser, which has no `node:` modules. Imports nothing of ours but the
// message formatter.
import { show } from "../math/_validate.ts";

/**
 * The `file:` URL of a path, percent-encoded as `node:url`'s `pathToFileURL`
 * encodes it (`%` first, then the URL parser's own set: `#`, `?`, spaces, …),
 * so that a folder whose name holds `#`, `?` or `%` is that folder, not a URL
 * fragment, query or escape. Written out rather than imported so that the
 * models also load in a browser, which has no `node:` modules (and no paths).
 * A relative path is resolved against the working folder.
 */
export function pathToFileUrl(path: string): URL {
  const windows = globalThis.Deno?.build.os === "windows";
  let p = windows ? path.replaceAll("\\", "/") : path;
  const absolute = windows ? /^([A-Za-z]:)?\//.test(p) : p.startsWith("/");
  if (!absolute) {
    if (!globalThis.Deno) {
      throw new TypeError(
        `A folder path needs Deno; in a browser give a URL: current value is ${p}`,
      );
    }
    const cwd = Deno.cwd().replaceAll("\\", "/");
    p = `${cwd.endsWith("/") ? cwd : cwd + "/"}${p}`;
  }
  if (windows && !p.startsWith("/")) p = "/" + p;
  p = p.replace(/\/{2,}/g, "/"); // "a//b" is "a/b", as path.resolve has it
  const url = new URL("file:///");
  url.pathname = p.replaceAll("%", "%25").replaceAll("\\", "%5C").replaceAll("\n", "%0A")
    .replaceAll("\r", "%0D").replaceAll("\t", "%09");
  // "a/." and "a/.." name folders, as "a" does: a trailing slash only where the path has one.
  if (!p.endsWith("/") && url.pathname.length > 1 && url.pathname.endsWith("/")) {
    url.pathname = url.pathname.slice(0, -1);
  }
  return url;
}

/** The path of a `file:` URL (the inverse of {@linkcode pathToFileUrl}). */
export function fileUrlToPath(url: URL): string {
  const p = decodeURIComponent(url.pathname);
  return globalThis.Deno?.build.os === "windows" && /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
}

/**
 * Resolves a folder path or URL to the URL of its model.json's folder (a
 * path through {@linkcode pathToFileUrl}, never by concatenation).
 */
export function folderUrl(dirOrUrl: string | URL): URL {
  const withSlash = (u: URL) => new URL(u.href.endsWith("/") ? u.href : u.href + "/");
  if (dirOrUrl instanceof URL) return withSlash(dirOrUrl);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dirOrUrl)) return withSlash(new URL(dirOrUrl));
  return withSlash(pathToFileUrl(dirOrUrl));
}

/** A file's name for a message: its path for a file: URL, else the URL. */
export function fileName(url: URL): string {
  return url.protocol === "file:" ? fileUrlToPath(url) : url.href;
}

/**
 * The folder path to save to: a non-empty path, or a `file:` URL (decoded,
 * so `%23` is a folder named with `#`).
 */
export function folderPath(what: string, dir: unknown): string {
  if (dir instanceof URL) {
    if (dir.protocol !== "file:") {
      throw new TypeError(
        `${what} as dir must be a folder path or a file: URL: current value is ${dir.href}`,
      );
    }
    return fileUrlToPath(dir);
  }
  if (typeof dir !== "string") {
    throw new TypeError(
      `${what} as dir must be a folder path or a file: URL: current value is ${show(dir)}`,
    );
  }
  if (dir === "" || dir.includes("\0")) {
    throw new RangeError(`${what} as dir must name a folder: current value is ${show(dir)}`);
  }
  return dir;
}
