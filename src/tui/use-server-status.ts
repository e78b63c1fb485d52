// The connection as the status line tells it: connecting, connected (with round-trip time), reconnecting
// while the server is away, closed after the client gives up (then a fresh session is opened every few
// seconds until the server is back), or failed when no server could be found at all.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Session } from "../server/session.js";

export type Phase = "connecting" | "connected" | "reconnecting" | "closed" | "failed";

export interface ServerStatus {
  phase: Phase;
  session?: Session;
  rttMs?: number;
  error?: string;
  /** When the current phase began (ms epoch): "reconnecting for 12 s". */
  since: number;
}

export interface ServerStatusOptions {
  initial?: Session;
  /** Opens a session; used at start when there is none, and to come back after the client gave up. */
  connect?: () => Promise<Session>;
  onSession?: (s: Session) => void;
  rttEveryMs?: number;
  retryEveryMs?: number;
}

export function useServerStatus(o: ServerStatusOptions): { status: ServerStatus; retry: () => void } {
  const [status, setStatus] = useState<ServerStatus>(() =>
    o.initial ? { phase: connectedPhase(o.initial), session: o.initial, since: Date.now() } : { phase: o.connect ? "connecting" : "failed", error: o.connect ? undefined : "no server configured", since: Date.now() },
  );
  const opts = useRef(o);
  opts.current = o;
  const opening = useRef(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const open = useCallback(async (phaseWhileTrying: Phase) => {
    const connect = opts.current.connect;
    if (!connect || opening.current) return;
    opening.current = true;
    setStatus((s) => (s.phase === phaseWhileTrying ? s : { ...s, phase: phaseWhileTrying, since: Date.now() }));
    try {
      const session = await connect();
      if (!alive.current) {
        void session.close();
        return;
      }
      opts.current.onSession?.(session);
      setStatus((old) => {
        if (old.session && old.session !== session) void old.session.close();
        return { phase: connectedPhase(session), session, since: Date.now() };
      });
    } catch (err) {
      if (alive.current) setStatus((s) => ({ ...s, phase: phaseWhileTrying === "connecting" ? "failed" : s.phase, error: (err as Error).message ?? String(err) }));
    } finally {
      opening.current = false;
    }
  }, []);

  // First connection, when the caller did not bring one.
  useEffect(() => {
    if (!o.initial && o.connect) void open("connecting");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Follow the client's own view of the connection.
  const session = status.session;
  useEffect(() => {
    if (!session) return;
    let live = true;
    const set = (phase: Phase) => live && setStatus((s) => (s.session !== session || s.phase === phase ? s : { ...s, phase, since: Date.now(), rttMs: phase === "connected" ? s.rttMs : undefined }));
    const measure = async () => {
      if (session.nc.isClosed()) return;
      let timer: NodeJS.Timeout | undefined;
      try {
        const rtt = await Promise.race([session.nc.rtt(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("rtt timeout")), 2000)))]);
        if (live) setStatus((s) => (s.session === session && s.phase === "connected" ? { ...s, rttMs: rtt } : s));
      } catch {
        // The status events say what happened; a missed ping is not news.
      } finally {
        clearTimeout(timer);
      }
    };
    (async () => {
      for await (const st of session.nc.status()) {
        if (!live) break;
        if (st.type === "disconnect" || st.type === "reconnecting" || st.type === "staleConnection") set("reconnecting");
        else if (st.type === "reconnect") {
          set("connected");
          void measure();
        }
      }
    })().catch(() => {});
    void session.nc.closed().then(() => set("closed"));
    void measure();
    const t = setInterval(() => void measure(), opts.current.rttEveryMs ?? 3000);
    t.unref?.();
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [session]);

  // After the client gave up reconnecting, keep trying with a fresh session.
  useEffect(() => {
    if (status.phase !== "closed" || !opts.current.connect) return;
    const t = setInterval(() => void open("closed"), opts.current.retryEveryMs ?? 3000);
    t.unref?.();
    return () => clearInterval(t);
  }, [status.phase, open]);

  const retry = useCallback(() => {
    void open(status.session ? "closed" : "connecting");
  }, [open, status.session]);

  return { status, retry };
}

function connectedPhase(s: Session): Phase {
  return s.nc.isClosed() ? "closed" : "connected";
}
