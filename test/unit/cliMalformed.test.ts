// Every file of the malformed corpus through the real command: `render --proc DIR` exits 1, prints
// nothing on stdout and exactly one line on stderr, "routedhcp: " then the file's path, the line
// and the parser's reason (support/malformedCases.ts), never a stack trace.
import assert from "node:assert/strict";
import { join } from "node:path";
import { CliResult, runCli } from "./support/cli";
import { FIXTURES, makeProcDir, makeTempRoot, removeTempRoot } from "./support/fixtures";
import { fibTrieCorpusDir, MALFORMED_FIB_TRIE, MALFORMED_ROUTE, MalformedCase, routeCorpusDir } from "./support/malformedCases";

interface Run {
  readonly name: string;
  readonly file: "route" | "fib_trie";
  readonly expected: MalformedCase;
  dir?: string;
  result?: CliResult;
}

const runs: Run[] = [
  ...Object.entries(MALFORMED_ROUTE).map(([name, expected]) => ({ name, file: "route" as const, expected })),
  ...Object.entries(MALFORMED_FIB_TRIE).map(([name, expected]) => ({ name, file: "fib_trie" as const, expected })),
];

describe("routedhcp render on the malformed corpus", function () {
  this.timeout(60_000);
  let root: string | undefined;

  before(async () => {
    root = await makeTempRoot();
    await Promise.all(
      runs.map(async (run) => {
        // A bad route file alone; a bad fib_trie next to a good route (paper-file1's).
        run.dir = await makeProcDir(root!, `${run.file}-${run.name}`, run.file === "route"
          ? { route: join(routeCorpusDir, run.name) }
          : { route: join(FIXTURES, "paper-file1", "route"), fibTrie: join(fibTrieCorpusDir, run.name) });
        run.result = await runCli(["render", "--proc", run.dir]);
      }),
    );
  });
  after(() => removeTempRoot(root));

  for (const run of runs) {
    it(`${run.file}/${run.name}: exit 1, "routedhcp: DIR/net/${run.file}:${run.expected.line}: ..."`, () => {
      const { code, stdout, stderr } = run.result!;
      assert.equal(code, 1);
      assert.equal(stdout, "");
      assert.equal(stderr, `routedhcp: ${run.dir}/net/${run.file}:${run.expected.line}: ${run.expected.reason}\n`);
      assert.equal(stderr.split("\n").length, 2, "exactly one line");
      assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
    });
  }

  it("discover --json fails the same way", async () => {
    const run = runs.find((r) => r.name === "bad-hex-destination")!;
    const result = await runCli(["discover", "--json", "--proc", run.dir!]);
    assert.deepEqual(result, { code: 1, stdout: "", stderr: run.result!.stderr });
  });
});
