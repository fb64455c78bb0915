// The kernel-made fixtures (test/fixtures/README.md) and temporary proc directories built from them.
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RouteSnapshot } from "../../../core/pipeline";

/** The repository root: tests run from dist/test/unit, the fixtures stay in test/. */
export const ROOT = findRoot(__dirname);
export const FIXTURES = join(ROOT, "test", "fixtures");
export const MALFORMED = join(ROOT, "test", "malformed");
export const GOLDEN = join(ROOT, "test", "golden");

/** Every scenario of test/fixtures/README.md, in the README's order. */
export const SCENARIOS = [
  "paper-file1",
  "remote-network",
  "static-after-default",
  "default-metrics",
  "two-lans",
  "shared-network",
  "virtual-zoo",
  "reject-routes",
  "cloud-vm",
  "small-subnets",
  "carrier-down",
  "no-default",
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The scenarios that have something to serve (all but cloud-vm). */
export const SERVING = SCENARIOS.filter((s) => s !== "cloud-vm");

export interface FixtureText {
  readonly route: string;
  readonly fibTrie: string;
}

/** Read as latin1, as io/readProcDir.ts does, so a byte is one character. */
export function readFixture(scenario: Scenario): FixtureText {
  return {
    route: readFileSync(join(FIXTURES, scenario, "route"), "latin1"),
    fibTrie: readFileSync(join(FIXTURES, scenario, "fib_trie"), "latin1"),
  };
}

/** A snapshot with sources named like the repository paths, for messages. */
export function snapshotOf(scenario: Scenario): RouteSnapshot {
  const { route, fibTrie } = readFixture(scenario);
  return {
    route: { text: route, source: `test/fixtures/${scenario}/route` },
    fibTrie: { text: fibTrie, source: `test/fixtures/${scenario}/fib_trie` },
  };
}

/** A fresh temporary directory; the caller removes it with removeTempRoot in an after hook. */
export async function makeTempRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), "routedhcp-test-"));
}

export async function removeTempRoot(root: string | undefined): Promise<void> {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
}

/** DIR/net/route (and DIR/net/fib_trie) copied from files; returns DIR. */
export async function makeProcDir(root: string, name: string, files: { route?: string; fibTrie?: string }): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, "net"), { recursive: true });
  if (files.route !== undefined) await copyFile(files.route, join(dir, "net", "route"));
  if (files.fibTrie !== undefined) await copyFile(files.fibTrie, join(dir, "net", "fib_trie"));
  return dir;
}

export async function makeFixtureProcDir(root: string, scenario: Scenario): Promise<string> {
  return makeProcDir(root, scenario, { route: join(FIXTURES, scenario, "route"), fibTrie: join(FIXTURES, scenario, "fib_trie") });
}

export async function writeTempFile(root: string, name: string, text: string): Promise<string> {
  const path = join(root, name);
  await writeFile(path, text);
  return path;
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "test", "fixtures"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}
