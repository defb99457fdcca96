import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReplicationInfo, parseRunId, sharedHistory } from '../../../hosts/failover-agent/replication';
import { EligibilityMarker, ReplicationHistory } from '../../../hosts/failover-agent/node-files';
import { learnVrrpState } from '../../../hosts/failover-agent/vrrp-state';
import { nextStreamId } from '../../../hosts/failover-agent/redis-role';

const ZERO = '0'.repeat(40);
const id = (c: string) => c.repeat(40);

describe('sharedHistory: does the peer\'s dataset descend from ours?', () => {
  const mine = { replid: id('a'), replid2: ZERO, previous: [] as string[] };
  it('yes when the peer was promoted from our history (its replid2 is our replid)', () => {
    expect(sharedHistory(mine, { replid: id('b'), replid2: id('a') })).toBe(id('a'));
  });
  it('yes when we were promoted from the peer\'s history, which it continued', () => {
    expect(sharedHistory({ replid: id('b'), replid2: id('a'), previous: [] }, { replid: id('a'), replid2: ZERO })).toBe(id('a'));
  });
  it('yes through an id the agent recorded before our Redis restarted', () => {
    expect(sharedHistory({ replid: id('c'), replid2: ZERO, previous: [id('a')] }, { replid: id('b'), replid2: id('a') })).toBe(id('a'));
  });
  it('no for unrelated histories, and never through the all-zero "no history" id', () => {
    expect(sharedHistory(mine, { replid: id('b'), replid2: ZERO })).toBeUndefined();
    expect(sharedHistory({ replid: id('c'), replid2: ZERO, previous: [] }, { replid: id('b'), replid2: ZERO })).toBeUndefined();
  });
});

describe('INFO parsing', () => {
  it('reads the replication fields the agent decides on', () => {
    const info = ['# Replication', 'role:slave', 'master_host:10.0.0.11', 'master_link_status:up', 'master_sync_in_progress:0', 'connected_slaves:0',
      `master_replid:${id('a')}`, `master_replid2:${ZERO}`, 'master_repl_offset:1234', 'second_repl_offset:-1', ''].join('\r\n');
    expect(parseReplicationInfo(info)).toEqual({ role: 'slave', masterHost: '10.0.0.11', linkUp: true, syncInProgress: false, connectedReplicas: 0, replid: id('a'), replid2: ZERO, offset: 1234, secondOffset: -1 });
    expect(parseRunId(`# Server\r\nredis_version:7.0.15\r\nrun_id:${id('f')}\r\n`)).toBe(id('f'));
  });
  it('trims a stream up to and including an id', () => {
    expect(nextStreamId('1700000000000-3')).toBe('1700000000000-4');
  });
});

describe('node files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the eligibility marker names one Redis process (what the check script compares)', () => {
    const marker = new EligibilityMarker(path.join(dir, 'run', 'eligible'));
    expect(marker.read()).toBeUndefined();
    marker.write(id('a'));
    expect(fs.readFileSync(path.join(dir, 'run', 'eligible'), 'utf8')).toBe(`${id('a')}\n`);
    marker.clear();
    expect(marker.read()).toBeUndefined();
  });

  it('the replication history survives the agent, keeps the newest ids, and ignores "no history"', () => {
    const file = path.join(dir, 'history.json');
    const history = new ReplicationHistory(file, 3);
    for (const c of ['a', 'b', 'b', 'c', 'd']) history.record(id(c));
    history.record(ZERO);
    expect(new ReplicationHistory(file, 3).all()).toEqual([id('b'), id('c'), id('d')]);
  });
});

describe('learnVrrpState (the state after the agent restarted under a running keepalived)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrrp-state-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // A fake /proc: our own (live) pid as keepalived's, started `ageS` seconds ago.
  const proc = (ageS: number, state = 'S') => {
    const root = fs.mkdtempSync(path.join(dir, 'proc-'));
    fs.mkdirSync(path.join(root, String(process.pid)));
    const fields = Array.from({ length: 50 }, () => '0');
    fields[0] = state;
    fields[19] = String(1000 * 100); // starttime: 1000 s after boot, in clock ticks
    fs.writeFileSync(path.join(root, String(process.pid), 'stat'), `${process.pid} (keep alived) ${fields.join(' ')}`);
    fs.writeFileSync(path.join(root, 'uptime'), `${1000 + ageS}.00 0.00\n`);
    return root;
  };
  const pidFile = path.join(dir, 'vrrp.pid');
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  const loopback = { interface: 'lo', keepalivedPidFile: pidFile };

  it('MASTER while keepalived runs and the VIP is on the interface; BACKUP without the VIP', () => {
    expect(learnVrrpState({ ...loopback, vip: '127.0.0.1' }, proc(60))).toBe('MASTER');
    expect(learnVrrpState({ ...loopback, vip: '192.0.2.1' }, proc(60))).toBe('BACKUP');
  });
  it('GONE when keepalived is not running (a VIP left behind by kill -9 means nothing)', () => {
    expect(learnVrrpState({ ...loopback, vip: '127.0.0.1', keepalivedPidFile: path.join(dir, 'missing.pid') }, proc(60))).toBe('GONE');
    expect(learnVrrpState({ ...loopback, vip: '127.0.0.1' }, proc(60, 'Z'))).toBe('GONE'); // killed, not reaped yet
  });
  it('no guess while keepalived is just starting (it may not have removed a predecessor\'s VIP yet)', () => {
    expect(learnVrrpState({ ...loopback, vip: '127.0.0.1' }, proc(1))).toBeUndefined();
  });
});
