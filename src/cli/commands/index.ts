// Every command, in the order `goingnats --help` lists them. One file per command.
import type { Command } from "commander";
import { register as welcome } from "./welcome.js";
import { register as list } from "./list.js";
import { register as show } from "./show.js";
import { register as hint } from "./hint.js";
import { register as solution } from "./solution.js";
import { register as init } from "./init.js";
import { register as progress } from "./progress.js";
import { register as reset } from "./reset.js";
import { register as check } from "./check.js";
import { register as server } from "./server.js";
import { register as doctor } from "./doctor.js";
import { register as pub } from "./pub.js";
import { register as sub } from "./sub.js";
import { register as request } from "./request.js";
import { register as reply } from "./reply.js";

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [welcome, list, show, check, hint, solution, init, progress, reset, server, doctor, pub, sub, request, reply];
