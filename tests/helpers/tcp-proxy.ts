import net from "node:net";

/**
 * A loopback TCP proxy to a real server (PostgreSQL, SMTP, IMAP, S3, an HTTP fake) that a test
 * can take down and bring back on the same port: `down()` refuses new connections and cuts open
 * ones, which is what a client sees when that server stops, without stopping the shared server.
 *
 * Usage: `const p = new TcpProxy({ host, port }); await p.up(); connect to 127.0.0.1:p.port;
 * await p.down(); … await p.up();` (the port is kept across down/up).
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  /** The proxy's loopback port; 0 until the first `up()`, then fixed. */
  port = 0;
  /** Connections accepted since construction (for tests that check reconnects). */
  connections = 0;
  constructor(private readonly upstream: { host: string; port: number }) {}

  /** Start listening (on the same port as before after a `down()`). */
  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      this.connections++;
      const up = net.connect(this.upstream.port, this.upstream.host);
      for (const s of [client, up]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.on("close", () => up.destroy());
      up.on("close", () => client.destroy());
      client.pipe(up).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Stop listening and cut every open connection. */
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** True while listening. */
  get isUp(): boolean {
    return this.server !== null;
  }
}
