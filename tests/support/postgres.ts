/** A throwaway PostgreSQL server (Debian's postgresql package) for the tests: real, local, fast. */
import {execFile, execFileSync} from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {promisify} from "node:util";

const run = promisify(execFile);

export interface PostgresServer {
  /** postgres://portrait:<password>@127.0.0.1:<port>/postgres (a superuser). */
  url: string;
  port: number;
  user: string;
  password: string;
  /** Where the server's binaries are (psql, pg_dump …). */
  bin: string;
  /** A folder the server can write into and the tests can read from. */
  dir: string;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

const ROOT = "/usr/lib/postgresql";

/** The newest installed server's bin folder; fails, saying what to install, when there is none. */
export function postgresBin(root = ROOT): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `no PostgreSQL server found in ${root}/<version>/bin: the PostgreSQL tests need one. Run \`apt-get install postgresql\` (.ci/run does it for CI).`
    );
  }
  return join(root, versions[0], "bin");
}

/** initdb into a fresh temporary folder, then starts the server on a free port of 127.0.0.1. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "portrait-pg-"));
  const data = join(dir, "data");
  const user = "portrait";
  const password = "s3cret-Pa55";
  // initdb refuses to run as root: then the server runs as the postgres system user, owning dir.
  const asRoot = process.getuid?.() === 0;
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot
      ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]]
      : [join(bin, program), args];
  const exec = async (program: string, args: string[]): Promise<void> => {
    await run(...command(program, args), {cwd: dir, env: {...process.env, TZ: "UTC"}});
  };
  try {
    writeFileSync(join(dir, "pw"), `${password}\n`, {mode: 0o600});
    if (asRoot) {
      const [uid, gid] = ["-u", "-g"].map((flag) =>
        Number(execFileSync("id", [flag, "postgres"], {encoding: "utf8"}).trim())
      );
      for (const path of [dir, join(dir, "pw")]) chownSync(path, uid, gid);
    }
    await exec("initdb", [
      "--pgdata",
      data,
      "--username",
      user,
      "--pwfile",
      join(dir, "pw"),
      "--auth-local",
      "trust",
      "--auth-host",
      "scram-sha-256",
      "--encoding",
      "UTF8",
      "--locale",
      "C",
      "--no-sync"
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c synchronous_commit=off"
    ].join(" ");
    try {
      await exec("pg_ctl", [
        "start",
        "--pgdata",
        data,
        "--wait",
        "--log",
        join(dir, "log"),
        "-o",
        options
      ]);
    } catch (error) {
      const log = existsSync(join(dir, "log")) ? readFileSync(join(dir, "log"), "utf8") : "";
      throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
    }
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      process.off("exit", stopNow);
      await exec("pg_ctl", ["stop", "--pgdata", data, "--mode", "immediate", "--wait"]).catch(
        () => undefined
      );
      rmSync(dir, {recursive: true, force: true});
    };
    // Should the test process die first, do not leave a server behind.
    const stopNow = (): void => {
      try {
        execFileSync(...command("pg_ctl", ["stop", "--pgdata", data, "--mode", "immediate"]), {
          cwd: dir,
          stdio: "ignore"
        });
      } catch {
        // already down
      }
      rmSync(dir, {recursive: true, force: true});
    };
    process.on("exit", stopNow);
    const url = `postgres://${user}:${password}@127.0.0.1:${port}/postgres`;
    return {url, port, user, password, bin, dir, stop};
  } catch (error) {
    rmSync(dir, {recursive: true, force: true});
    throw error;
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
