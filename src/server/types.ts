// How goingnats finds a NATS server. The resolution order is in resolve.ts and README.md.

/** Server options from flags and environment, shared by every command that talks to NATS. */
export interface ServerOptions {
  server?: string;
  context?: string;
  creds?: string;
  user?: string;
  password?: string;
  token?: string;
  nkey?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  /** The learner's namespace on a shared server; "" for none. */
  namespace?: string;
  /** Do not start a managed server (report instead). */
  noManaged?: boolean;
  /** Who a managed server is for, as other terminals will see it: "goingnats" for the app. */
  owner?: string;
}

export type ServerSource = "flag" | "env" | "context" | "background" | "app" | "localhost" | "managed";

export interface ServerAuth {
  user?: string;
  password?: string;
  token?: string;
  /** Path to a .creds file. */
  creds?: string;
  /** Path to an nkey seed file. */
  nkey?: string;
}

export interface ServerTls {
  cert?: string;
  key?: string;
  ca?: string;
}

export interface ServerTarget {
  url: string;
  source: ServerSource;
  /** Human words for how it was found: "--server flag", "NATS CLI context \"demo\"", ... */
  detail: string;
  auth: ServerAuth;
  tls?: ServerTls;
  /** True for loopback servers: no namespace by default. */
  local: boolean;
  /** For a managed server started by this process: stops it. */
  stop?: () => Promise<void>;
}
