// How the learner's other terminals reach the server goingnats uses: the line shown in the app's
// help and, for a managed server off the default port, when the app starts.
import { exportLine, localUrl } from "./background-server.js";
import { hostPort } from "./connect.js";
import type { ServerTarget } from "./types.js";

export interface Reach {
  /** What to say, one sentence each. */
  lines: string[];
  /** True when the learner must paste something before another terminal finds this server. */
  needsSetup: boolean;
}

export function reachOf(target: Pick<ServerTarget, "url" | "source" | "local">): Reach {
  const onDefault = target.local && !target.url.includes(",") && hostPort(target.url).port === hostPort(localUrl()).port;
  const stops = target.source === "managed" ? ["It stops when you quit goingnats (`goingnats server start` runs one that stays)."] : [];
  if (onDefault) {
    return { needsSetup: false, lines: [`Other terminals reach it with no set-up: ${target.url} is the default the NATS CLI, goingnats and the NATS clients use.`, ...stops] };
  }
  if (target.source === "managed" || target.source === "app") {
    return {
      needsSetup: true,
      lines: [`Other terminals: ${exportLine(target.url)}`, "(goingnats commands there find it by themselves; the NATS CLI and your own programs need the line.)", ...stops],
    };
  }
  const creds = target.source === "context" ? " (and the same credentials as your NATS context)" : "";
  return { needsSetup: false, lines: [`Other terminals: ${exportLine(target.url)}${creds}`] };
}
