// Tests that need a Debian package: where it is missing, such a test is
// skipped with one printed line naming the package and how to install it,
// unless CI is set — then it runs and fails, since .ci/run installs every
// package the suite needs. `deno task test` on a fresh machine with Deno
// alone thus passes, and CI still runs everything.

/** Whether `path` (from Debian's `pkg`) is here; prints one line when a test is skipped for it. */
export function hasSystemPackage(path: string, pkg: string, what: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    let ci: string | undefined;
    try {
      ci = Deno.env.get("CI");
    } catch { /* no --allow-env: not CI */ }
    if (ci) return true; // run, and fail with the reason: CI installs it
    console.log(`skipping ${what}: ${path} is missing (Debian's ${pkg}: apt-get install ${pkg})`);
    return false;
  }
}
