// What other clients do, as the server sees it: connections, their subscriptions and queue groups.
// A plain nats-server answers $SYS.REQ.ACCOUNT.PING.CONNZ to ordinary clients, scoped to their account.
import type { NatsConnection } from "@nats-io/transport-node";
import type { ConnectionInfo } from "./types.js";

interface RawConn {
  cid: number;
  name?: string;
  lang?: string;
  version?: string;
  in_msgs?: number;
  out_msgs?: number;
  subscriptions_list_detail?: Array<{ subject: string; qgroup?: string; msgs?: number; cid?: number }>;
}

export async function fetchConnections(nc: NatsConnection): Promise<ConnectionInfo[]> {
  const body = JSON.stringify({ subscriptions_detail: true, limit: 4096 });
  // A cluster answers once per server: gather until the answers stop coming. A lone server answers once.
  const clustered = Boolean(nc.info?.cluster);
  const replies = await nc.requestMany(
    "$SYS.REQ.ACCOUNT.PING.CONNZ",
    body,
    clustered ? { strategy: "stall", stall: 60, maxWait: 2000 } : { strategy: "count", maxMessages: 1, maxWait: 2000 },
  );
  const all: ConnectionInfo[] = [];
  for await (const m of replies) {
    let parsed: { data?: { connections?: RawConn[] }; error?: { description?: string } };
    try {
      parsed = m.json();
    } catch {
      continue;
    }
    for (const c of parsed.data?.connections ?? []) {
      all.push({
        cid: c.cid,
        name: c.name ?? "",
        lang: c.lang ?? "",
        version: c.version ?? "",
        inMsgs: c.in_msgs ?? 0,
        outMsgs: c.out_msgs ?? 0,
        subscriptions: (c.subscriptions_list_detail ?? []).map((s) => ({
          cid: c.cid,
          name: c.name ?? "",
          subject: s.subject,
          queue: s.qgroup || undefined,
          msgs: s.msgs ?? 0,
        })),
      });
    }
  }
  return all;
}
