import type { Check, CheckContext, ProgramHandle, SeenMessage, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";

const SPEC: ServiceSpec = { service: "inventory", version: "1.0.0", subjects: ["inventory.stock"] };
const STOCK = "inventory.stock";
const KNOWN: [string, string][] = [["apples", "12"], ["pears", "0"], ["plums", "7"]];
// Items the program cannot know, so an answer cannot be hard-coded.
const unknownItem = () => `${["durian", "kiwano", "rambutan", "salak"][Math.floor(Math.random() * 4)]}-${Math.random().toString(36).slice(2, 5)}`;

interface Identity {
  name: string;
  id: string;
  version: string;
}
interface Info extends Identity {
  description?: string;
  endpoints?: { name: string; subject: string; queue_group?: string }[];
}

interface Answer {
  text: string;
  code?: string;
  error?: string;
  message: SeenMessage;
}

export const checks: Check[] = [
  {
    name: "your inventory service is running",
    idea: "A service is discoverable: $SRV.PING.<name> reaches every instance",
    async run(ctx) {
      const { ping } = await startService(ctx, SPEC);
      return `${ping.name} ${ping.version}, instance ${ping.id}`;
    },
  },
  {
    name: "stock answers the number in stock, zero included, with no error headers",
    idea: "An answer is not an error: out of stock (0) is a perfectly good reply",
    async run(ctx) {
      await startService(ctx, SPEC);
      const seen: string[] = [];
      for (const [item, want] of KNOWN) {
        const a = await ask(ctx, item);
        if (a.code || a.error) {
          return ctx.fail({
            expected: `"${want}" for ${item}, as an ordinary reply`,
            seen: `a service error: code ${a.code ?? "(none)"}, "${a.error ?? ""}"`,
            idea: item === "pears" ? "Out of stock is an answer (0), not an error: errors are for requests the service cannot answer" : "A service error means the request failed",
            hint: item === "pears" ? "Test whether the item is known with `item in STOCK` (or Object.hasOwn), not with `!STOCK[item]`: 0 is falsy." : "Answer known items with m.respond(String(STOCK[item])).",
          });
        }
        if (a.text !== want) {
          return ctx.fail({
            expected: `"${want}" for ${item}`,
            seen: `"${a.text}"`,
            idea: "The request's payload is the question: read it with m.string()",
            hint: "m.respond(String(STOCK[item])), where item = m.string().trim().",
          });
        }
        seen.push(`${item} → ${a.text}`);
      }
      return seen.join(", ");
    },
  },
  {
    name: "an unknown item gets a service error with code 404",
    idea: "Service errors travel in headers: Nats-Service-Error-Code and Nats-Service-Error",
    async run(ctx) {
      await startService(ctx, SPEC);
      const item = unknownItem();
      const a = await ask(ctx, item);
      judgeError(ctx, a, item, "404", "an item it does not know", `m.respondError(404, \`no such item: \${item}\`)`);
      return `${item} → ${a.code} "${a.error}"`;
    },
  },
  {
    name: "an empty request gets a service error with code 400",
    idea: "A request the client got wrong is a 4xx error, like in HTTP",
    async run(ctx) {
      await startService(ctx, SPEC);
      const a = await ask(ctx, "");
      judgeError(ctx, a, "", "400", "an empty request (no item name)", `m.respondError(400, "item name required")`);
      // A well-behaved service keeps answering after an error.
      const again = await ask(ctx, "apples");
      if (again.text !== "12" || again.code) {
        return ctx.fail({
          expected: `"12" for apples after the error`,
          seen: again.code ? `a service error ${again.code} "${again.error}"` : `"${again.text}"`,
          idea: "An error answers one request; the service keeps serving",
          hint: "Return from the handler after m.respondError(); don't stop the service.",
        });
      }
      return `empty request → ${a.code} "${a.error}"; apples still → 12`;
    },
  },
];

async function ask(ctx: CheckContext, item: string): Promise<Answer> {
  const o = await ctx.request(ctx.subject(STOCK), item, { timeoutMs: 2000 });
  if (o.kind !== "reply") {
    return ctx.fail({
      expected: `an answer to ${item ? `"${item}"` : "an empty request"} on ${STOCK}`,
      seen:
        o.kind === "timeout"
          ? `no answer within 2 s: the endpoint got the request and sent nothing back. A client would wait for its full timeout and learn nothing`
          : "no responders: nothing listens on that subject",
      idea: "Every request deserves an answer, also when it fails: that is what service errors are for",
      hint: "Answer every request: m.respond(...) for a result, m.respondError(code, description) for a failure.",
    });
  }
  const h = o.message.headers;
  return { text: o.message.text, code: h?.get("Nats-Service-Error-Code") || undefined, error: h?.get("Nats-Service-Error") || undefined, message: o.message };
}

function judgeError(ctx: CheckContext, a: Answer, item: string, code: string, what: string, fix: string): void {
  const asked = item ? `"${item}"` : "an empty payload";
  const expected = `for ${asked}: a service error, header Nats-Service-Error-Code: ${code} and a description in Nats-Service-Error`;
  if (!a.code && !a.error) {
    const looksLikeError = /error|no such|unknown|not found|missing|which|required|invalid/i.test(a.text);
    return ctx.fail({
      expected,
      seen: looksLikeError
        ? `a plain reply "${a.text}" with no error headers. To a client that is a successful answer whose text happens to say "error": nats request, ServiceError.isServiceError() and any other service calling it see success`
        : `an ordinary reply "${a.text}" with no error headers, for ${what}`,
      idea: "Service errors travel in headers (Nats-Service-Error-Code, Nats-Service-Error), so every client can tell failure from success without parsing text",
      hint: `Replace m.respond("error: ...") with ${fix}.`,
    });
  }
  if (!a.code || !a.error) {
    return ctx.fail({
      expected,
      seen: `only ${a.code ? `Nats-Service-Error-Code: ${a.code}` : `Nats-Service-Error: ${a.error}`}; a service error has both headers`,
      idea: "A service error is a code and a description",
      hint: `m.respondError(code, description) sets both: ${fix}.`,
    });
  }
  if (a.code !== code) {
    const threw = a.code === "500";
    return ctx.fail({
      expected,
      seen: `code ${a.code}, "${a.error}"`,
      idea: threw
        ? "A handler that throws makes the service answer 500, a fault of the service; a bad request is the client's mistake (4xx)"
        : "Error codes follow HTTP: 400 for a malformed request, 404 for something that does not exist, 500 for a fault of the service",
      hint: threw ? `Don't throw for a bad request; answer it: ${fix}.` : `Use code ${code} for ${what}: ${fix}.`,
    });
  }
}

interface ServiceSpec {
  /** The service name without the namespace. */
  service: string;
  /** For hints. */
  version: string;
  /** Endpoint subjects without the namespace. */
  subjects: string[];
}

interface Started {
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
async function startService(ctx: CheckContext, want: ServiceSpec, start: StartProgramOptions = {}): Promise<Started> {
  const program = await ctx.startProgram({ waitForSubscriptions: 1, ...start });
  const name = ctx.name(want.service);
  const who = start.label ?? "your program";
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  // A service subscribes to its $SRV subjects first; a program with other subscriptions and none of
  // those after half a second is not a service: fail fast instead of waiting.
  const started = Date.now();
  const instances = (subs: SubscriptionInfo[]) =>
    subs.map((s) => s.subject.split(".")).filter((t) => t.length === 4 && t[0] === "$SRV" && t[1] === "PING").map(([, , n, id]) => ({ name: n, id }));
  const found = await poll(ctx, Math.min(5000, ctx.remainingMs()), async () => {
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
  await poll(ctx, 1500, async () => {
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
async function gather<T>(ctx: CheckContext, subject: string): Promise<T[]> {
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

function describe(ctx: CheckContext, subs: SubscriptionInfo[]): string {
  return subs.map((s) => `${ctx.unprefix(s.subject)}${s.queue ? ` (queue group "${s.queue}")` : ""}`).join(", ");
}

async function poll<T>(ctx: CheckContext, ms: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined || Date.now() >= until || ctx.signal.aborted) return v;
    await ctx.sleep(50);
  }
}
