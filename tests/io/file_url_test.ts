import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fileName, folderPath, folderUrl, pathToFileUrl } from "../../lib/io/file_url.ts";
import { fc } from "../_fc.ts";

Deno.test("pathToFileUrl() encodes a path as node:url's pathToFileURL does", () => {
  const names = fc.oneof(
    fc.string({ unit: "binary", maxLength: 12 }),
    fc.constantFrom("a#b", "a?b", "100%", "%2e%2e", "..", ".", "a b", "x\\y", "t\tn\nr\r", "ü/é"),
  );
  fc.assert(
    fc.property(fc.array(names, { minLength: 1, maxLength: 3 }), fc.boolean(), (parts, abs) => {
      const path = (abs ? "/" : "") + parts.join("/");
      if (path === "" || path.includes("\0")) return;
      assert.equal(pathToFileUrl(path).href, pathToFileURL(path).href, JSON.stringify(path));
      assert.equal(fileName(pathToFileUrl(path)), fileURLToPath(pathToFileURL(path)));
    }),
    { numRuns: 150 },
  );
});

Deno.test("folderUrl() and folderPath()", async (t) => {
  await t.step("a folder's URL ends with a slash, so that model.json resolves inside it", () => {
    assert.equal(new URL("model.json", folderUrl("/a/b#c")).href, "file:///a/b%23c/model.json");
    assert.equal(folderUrl("http://h/m").href, "http://h/m/");
    assert.equal(folderUrl(new URL("file:///x/")).href, "file:///x/");
  });
  await t.step("folderPath() takes a path or a file: URL, and names a bad one", () => {
    assert.equal(folderPath("save", "a b"), "a b");
    assert.equal(folderPath("save", new URL("file:///a%23b")), "/a#b");
    assert.throws(() => folderPath("save", new URL("http://h/m")), TypeError);
    assert.throws(() => folderPath("save", 5), /save as dir must be a folder path/);
    assert.throws(() => folderPath("save", ""), RangeError);
  });
});
