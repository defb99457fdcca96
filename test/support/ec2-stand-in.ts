import { Ec2StandIn, type StandInOptions } from '../../drill/failover/ec2-stand-in';
import { LOCAL_CREDENTIALS } from './aws-local';
import { freePort } from './processes';

/**
 * The drill's EC2 Query API + IMDS stand-in on a free loopback port, with the SDK's credentials set
 * for it (test/support/restore-env.ts puts the environment back after the file).
 */
export async function startEc2StandIn(options: StandInOptions): Promise<{ standIn: Ec2StandIn; endpoint: string }> {
  process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  const port = await freePort();
  const standIn = new Ec2StandIn(options);
  await standIn.listen('127.0.0.1', port);
  return { standIn, endpoint: `http://127.0.0.1:${port}` };
}
