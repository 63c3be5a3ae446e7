// Runs every program in examples/ (each binds only to loopback and ends by
// itself) and checks its exit status and the lines that show it worked.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

function run(name: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tsx, [join("examples", name)], { cwd: root, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** What each example must print (every listed line, in this order, among its output). */
const EXPECT: Record<string, RegExp[]> = {
  "client-tcp-synopsis.ts": [/^from server:  !"#\$%&'\(\)\*\+,-\.\/0123456789/, /^from server: \)\*\+/],
  "server-tcp-synopsis.ts": [/^got a connection from 127\.0\.0\.1$/, /^client got: Smile from the server!$/, /^client got: Uryyb, jbeyq!$/, /^client got: Hello, world!$/],
  "tcp-watermarks.ts": [/^client: read 2000 lines, disconnecting$/, /^Chargen session \d+ encountered read error 0/, /^Chargen session \d+ throttled [1-9]\d* times and resumed [1-9]\d* times\.$/, /^done$/],
  "ui-alias.ts": [/^ui: -> say hello$/, /^ui: server says: ack hello$/, /^ui: -> reconnect$/, /^ui: server says: you are connection 2$/, /^ui: -> shutdown$/, /^ui: disconnected \(shutdown\)$/, /^done$/],
  "demo.ts": [
    /client +got line: headline 1/,
    /server +dropping connection 1/,
    /client +server error: read 0 ""/,
    /client +reconnecting in 1 second/,
    /server +connection 2 from 127\.0\.0\.1/,
    /client +all output flushed/,
    /client +disconnected \(in (got_server_flush|shutdown)\)/,
    /server +client 2 closed after sending 50000 lines/,
    /demo +POE\.Kernel\.run\(\) resolved/,
  ],
};

const examples = suite("examples");

examples("every example has an expectation here", () => {
  const files = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".ts")).sort();
  assert.equal(files, Object.keys(EXPECT).sort());
});

for (const [name, patterns] of Object.entries(EXPECT)) {
  examples(`${name} runs to completion and prints what it should`, () => {
    const { status, stdout, stderr } = run(name);
    assert.is(status, 0, `exit status; stderr: ${stderr}`);
    const lines = stdout.split("\n");
    let at = 0;
    for (const pattern of patterns) {
      const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
      assert.ok(found >= 0, `${name}: no line matching ${pattern} after line ${at}\n${stdout}`);
      at = found + 1;
    }
  });
}

examples("each example names its original in its first comment", () => {
  for (const name of Object.keys(EXPECT)) {
    const first = spawnSync("head", ["-n", "3", join(root, "examples", name)], { encoding: "utf8" }).stdout;
    assert.match(first, /Port of|POE|npm run demo/, name);
  }
});

examples.run();
