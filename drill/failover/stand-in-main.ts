/**
 * Runs the EC2 stand-in inside the drill's switch namespace. stdin: one JSON options line; stdout: one
 * JSON line per event ({"listening"}, {"change"}, {"call"}); later stdin lines: "state" (prints the
 * route tables), {"cmd":"hang","on":bool} (EC2 API stops answering), {"cmd":"route",...} (moves a route by hand).
 */
import { execFileSync } from 'node:child_process';
import * as readline from 'node:readline';
import { Ec2StandIn, type StandInOptions } from './ec2-stand-in';

interface MainOptions extends Omit<StandInOptions, 'onReplace' | 'onCall'> {
  readonly host: string;
  readonly port: number;
  /** Client namespace and ENI -> next hop: the client's VIP route follows the route tables. */
  readonly clientNamespace: string;
  readonly nextHops: Record<string, string>;
}

const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const lines = readline.createInterface({ input: process.stdin });
let standIn: Ec2StandIn | undefined;
lines.on('line', (line) => {
  if (!standIn) {
    const options = JSON.parse(line) as MainOptions;
    standIn = new Ec2StandIn({
      ...options,
      onReplace: (change) => {
        const hop = options.nextHops[change.networkInterfaceId];
        if (hop) execFileSync('ip', ['-n', options.clientNamespace, 'route', 'replace', change.destination, 'via', hop]);
        out({ change });
      },
      onCall: (call) => out({ call }),
    });
    standIn.listen(options.host, options.port).then(() => out({ listening: options.port }), (error: Error) => { out({ error: error.message }); process.exit(1); });
    return;
  }
  if (line.trim() === 'state') {
    out({ state: Object.fromEntries([...standIn.tables].map(([id, routes]) => [id, Object.fromEntries(routes)])), calls: standIn.calls.length });
    return;
  }
  const command = JSON.parse(line) as { cmd: 'hang'; on: boolean } | { cmd: 'route'; routeTableId: string; destination: string; eni: string };
  if (command.cmd === 'hang') { standIn.hang = command.on; out({ hang: command.on }); }
  if (command.cmd === 'route') standIn.setRoute(command.routeTableId, command.destination, command.eni);
});
lines.on('close', () => { void standIn?.close().then(() => process.exit(0)); });
