/**
 * This instance's primary network interface id, from IMDSv2 (token first; hosts allow only v2).
 * The VIP route targets the ENI, which outlives instance replacement.
 */
export async function primaryInterfaceId(endpoint = 'http://169.254.169.254'): Promise<string> {
  const timeout = () => AbortSignal.timeout(2000);
  const tokenResponse = await fetch(`${endpoint}/latest/api/token`, {
    method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '300' }, signal: timeout(),
  });
  if (!tokenResponse.ok) throw new Error(`IMDSv2 token: HTTP ${tokenResponse.status}`);
  const token = await tokenResponse.text();
  const get = async (path: string) => {
    const response = await fetch(`${endpoint}/latest/meta-data/${path}`, { headers: { 'X-aws-ec2-metadata-token': token }, signal: timeout() });
    if (!response.ok) throw new Error(`IMDSv2 ${path}: HTTP ${response.status}`);
    return (await response.text()).trim();
  };
  const mac = await get('mac');
  return get(`network/interfaces/macs/${mac}/interface-id`);
}
