import type { Check, CheckContext, ProgramHandle, SeenMessage, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";
import { startService, type ServiceSpec, type Identity, type Info } from "../_shared/services.js";

const SPEC: ServiceSpec = { service: "inventory", version: "1.0.0", subjects: ["inventory.stock"] };
const STOCK = "inventory.stock";
const KNOWN: [string, string][] = [["apples", "12"], ["pears", "0"], ["plums", "7"]];
// Items the program cannot know, so an answer cannot be hard-coded.
const unknownItem = () => `${["durian", "kiwano", "rambutan", "salak"][Math.floor(Math.random() * 4)]}-${Math.random().toString(36).slice(2, 5)}`;


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

