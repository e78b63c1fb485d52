// How to get nats-server, in one place: the "no server" error, `goingnats doctor` and the README say
// the same thing, so a learner on any OS sees one answer wherever they hit the problem.

export const INSTALL_LINES: readonly string[] = [
  "Debian/Ubuntu:  sudo apt-get install nats-server   (Debian puts it in /usr/sbin)",
  "macOS:          brew install nats-server",
  "Windows:        scoop install nats-server   or   choco install nats-server",
  "                (or unzip nats-server.exe from https://github.com/nats-io/nats-server/releases)",
  "Any OS with Go: go install github.com/nats-io/nats-server/v2@latest",
];

/** The full advice, as printed when no server can be found or started. */
export function installHelp(): string {
  return [
    "Install nats-server and goingnats starts and stops one for you:",
    ...INSTALL_LINES.map((l) => `  ${l}`),
    "Or use a server you already have:",
    "  goingnats --server nats://host:4222 ...   (or set NATS_URL)",
    "  goingnats --server demo ...               the public demo server, demo.nats.io (shared with everyone)",
    "`goingnats doctor` shows every place goingnats looked.",
  ].join("\n");
}

/** The error message for "no server anywhere and none could be started". */
export function noServerMessage(why: string): string {
  return `no NATS server found, and ${why}.\n${installHelp()}`;
}
