// Helpers shared by the micro services checks (svc-*): start a learner's service and find its own
// instance through $SRV discovery. Checks import from here like any module; the build bundles it into
// each check, so a check stays one self-contained file in dist/.
import type { CheckContext, ProgramHandle, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";

export interface Identity {
  name: string;
  id: string;
  version: string;
}

export interface Info extends Identity {
  description?: string;
  endpoints?: { name: string; subject: string; queue_group?: string }[];
}

export interface ServiceSpec {
  /** The service name without the namespace. */
  service: string;
  /** For hints. */
  version: string;
  /** Endpoint subjects without the namespace. */
  subjects: string[];
}

export interface Started {
  program: ProgramHandle;
  /** $SRV.<VERB>.<name>.<id> reaches this program's instance only, not another copy that may be running. */
  ping: Identity;
  info: Info;
}

/**
 * Starts the program and finds its service instance on the server: every instance subscribes to
 * $SRV.PING.<name>.<id>, so the program's own subscriptions name it. Explains what the server shows
 * when there is none.
 */
export async function startService(ctx: CheckContext, want: ServiceSpec, start: StartProgramOptions = {}): Promise<Started> {
  const program = await ctx.startProgram({ waitForSubscriptions: 1, ...start });
  const name = ctx.name(want.service);
  const who = start.label ?? "your program";
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  // A service subscribes to its $SRV subjects first; a program with other subscriptions and none of
  // those after half a second is not a service: fail fast instead of waiting.
  const started = Date.now();
  const instances = (subs: SubscriptionInfo[]) =>
    subs.map((s) => s.subject.split(".")).filter((t) => t.length === 4 && t[0] === "$SRV" && t[1] === "PING").map(([, , n, id]) => ({ name: n, id }));
  const found = await ctx.poll(Math.min(5000, ctx.remainingMs()), async () => {
    const subs = await own();
    if (instances(subs).length) return instances(subs);
    return Date.now() - started > 500 && subs.length > 0 ? null : undefined;
  });

  if (!found) {
    const conns = await program.connections();
    if (!conns.length) {
      return ctx.fail({
        expected: "your program connects to the server",
        seen: `no new connection appeared for ${who}; ${program.isRunning() ? "the program is still running" : "the program has stopped"}`,
        idea: "A client talks to NATS over one long-lived connection",
        hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
      });
    }
    const plain = (await own()).filter((s) => !s.subject.startsWith("$"));
    const ping = await gather<Identity>(ctx, `$SRV.PING.${name}`);
    return ctx.fail({
      expected: `a service named ${name} that answers $SRV.PING.${name}`,
      seen: plain.length
        ? `${who} subscribes to ${describe(ctx, plain)} and to no $SRV subject, so ${ping.length ? "only other programs" : "nothing"} answered $SRV.PING.${name}: a plain subscription answers requests, but it is not a service`
        : `${who} connected but subscribes to nothing, and it did not answer $SRV.PING`,
      idea: "The service API makes a responder discoverable: every instance answers $SRV.PING, $SRV.INFO and $SRV.STATS",
      hint: `const svc = await new Svcm(nc).add({ name: \`\${namePrefix}${want.service}\`, version: "${want.version}", description: "..." }); then svc.addGroup(...).addEndpoint(...) instead of nc.subscribe().`,
    });
  }
  const mine = found.find((i) => i.name === name);
  if (!mine) {
    return ctx.fail({
      expected: `a service named ${name}`,
      seen: `${who} is a service named ${[...new Set(found.map((i) => i.name))].join(", ")}, so $SRV.PING.${name} does not reach it`,
      idea: "Services are found by name: $SRV.PING.<name> and `nats micro info <name>` match it exactly, case included",
      hint: `name: \`\${namePrefix}${want.service}\` in the config of Svcm.add().`,
    });
  }
  const [ping] = await gather<Identity>(ctx, `$SRV.PING.${name}.${mine.id}`);
  if (!ping) {
    return ctx.fail({
      expected: `an answer to $SRV.PING.${name}.${mine.id}`,
      seen: `${who} subscribes to it but did not answer`,
      idea: "Every service instance answers PING, INFO and STATS",
      hint: "Use the service API (@nats-io/services); don't subscribe to $SRV subjects by hand.",
    });
  }
  ctx.note(`$SRV.PING.${name}.${mine.id}: ${ping.name} ${ping.version}`);

  // INFO lists the endpoints added so far: give the program a moment to add them all.
  let info: Info | undefined;
  await ctx.poll(1500, async () => {
    info = (await gather<Info>(ctx, `$SRV.INFO.${name}.${mine.id}`))[0] ?? info;
    const subjects = (info?.endpoints ?? []).map((e) => e.subject);
    return want.subjects.every((e) => subjects.includes(ctx.subject(e))) ? true : undefined;
  });
  if (!info) {
    return ctx.fail({
      expected: `an answer to $SRV.INFO.${name}.${mine.id}`,
      seen: "it answered $SRV.PING but not $SRV.INFO",
      idea: "Every service instance answers PING, INFO and STATS",
      hint: "Use the service API (@nats-io/services); don't subscribe to $SRV subjects by hand.",
    });
  }
  ctx.note(`$SRV.INFO.${name}.${mine.id}: ${JSON.stringify(info)}`);
  return { program, ping, info };
}

/**
 * Scatter-gather on a $SRV subject: every instance answers. Stops 300 ms after the last answer, or at
 * the first one for a subject that names one instance ($SRV.<VERB>.<name>.<id>).
 */
export async function gather<T>(ctx: CheckContext, subject: string): Promise<T[]> {
  const out: T[] = [];
  const oneInstance = subject.split(".").length === 4;
  try {
    const it = await ctx.nc.requestMany(subject, "", oneInstance ? { strategy: "count", maxMessages: 1, maxWait: 1500 } : { strategy: "stall", stall: 300, maxWait: 1500 });
    for await (const m of it) {
      if (!m.data.length) continue;
      try {
        out.push(m.json<T>());
      } catch {
        // not a service answer
      }
    }
  } catch {
    // no responders: nobody answers that subject
  }
  return out;
}

export function describe(ctx: CheckContext, subs: SubscriptionInfo[]): string {
  return subs.map((s) => `${ctx.unprefix(s.subject)}${s.queue ? ` (queue group "${s.queue}")` : ""}`).join(", ");
}
