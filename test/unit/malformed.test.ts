// Every file of the malformed corpus gives a ParseError with the exact `<source>:<line>: <reason>`
// (style.md: errors carry the source and line). The CLI side is in cli.test.ts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseRouteTable } from "../../core/routeTable";
import { parseFibTrie } from "../../core/fibTrie";
import { ParseError } from "../../core/parseError";
import { fibTrieCorpusDir, listCorpus, MALFORMED_FIB_TRIE, MALFORMED_ROUTE, MalformedCase, routeCorpusDir } from "./support/malformedCases";

function expectParseError(parse: () => unknown, source: string, expected: MalformedCase): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof ParseError, `a ParseError, not ${String(error)}`);
    assert.equal(error.message, `${source}:${expected.line}: ${expected.reason}`);
    assert.equal(error.source, source);
    assert.equal(error.line, expected.line);
    assert.equal(error.reason, expected.reason);
    assert.ok(!error.message.includes("\n"), "one line");
    return true;
  });
}

const corpora = [
  { kind: "route", dir: routeCorpusDir, cases: MALFORMED_ROUTE, parse: parseRouteTable },
  { kind: "fib_trie", dir: fibTrieCorpusDir, cases: MALFORMED_FIB_TRIE, parse: parseFibTrie },
];

for (const { kind, dir, cases, parse } of corpora) {
  describe(`malformed ${kind} corpus (test/malformed/${kind})`, () => {
    it("every file has an expected message and every expected message a file", () => {
      assert.deepEqual(listCorpus(dir), Object.keys(cases).sort());
    });
    for (const [name, expected] of Object.entries(cases)) {
      it(`${name}: line ${expected.line}: ${expected.reason.slice(0, 60)}`, () => {
        // latin1, as io/readProcDir.ts reads: every byte is one character
        const text = readFileSync(join(dir, name), "latin1");
        const source = `test/malformed/${kind}/${name}`;
        expectParseError(() => parse(text, source), source, expected);
      });
    }
  });
}

describe("malformed input: default source names", () => {
  it("parseRouteTable names /proc/net/route", () => {
    expectParseError(() => parseRouteTable(""), "/proc/net/route", MALFORMED_ROUTE["empty-file"]!);
  });
  it("parseFibTrie names /proc/net/fib_trie", () => {
    expectParseError(() => parseFibTrie("Main:\nhello world, this is not a trie\n"), "/proc/net/fib_trie", MALFORMED_FIB_TRIE.junk!);
  });
});
