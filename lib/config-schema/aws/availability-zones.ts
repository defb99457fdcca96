/**
 * AZ letters each region has (AWS documentation, "Regions and Zones"). Which letters an account sees
 * differs by account: synth refuses letters the region has none of, and preflight asks the account
 * which ones it is offered. ap-northeast-1b is left out: it is closed to accounts created since 2012
 * and offers none of the current instance families.
 */
export const AZ_LETTERS: Readonly<Record<string, string>> = {
  'us-east-1': 'abcdef', 'us-east-2': 'abc', 'us-west-1': 'abc', 'us-west-2': 'abcd',
  'ca-central-1': 'abd', 'sa-east-1': 'abc',
  'eu-west-1': 'abc', 'eu-west-2': 'abc', 'eu-west-3': 'abc', 'eu-central-1': 'abc', 'eu-central-2': 'abc',
  'eu-north-1': 'abc', 'eu-south-1': 'abc', 'eu-south-2': 'abc',
  'ap-northeast-1': 'acd', 'ap-northeast-2': 'abcd', 'ap-northeast-3': 'abc',
  'ap-southeast-1': 'abc', 'ap-southeast-2': 'abc', 'ap-southeast-3': 'abc', 'ap-southeast-4': 'abc',
  'ap-south-1': 'abc', 'ap-south-2': 'abc', 'ap-east-1': 'abc',
  'me-south-1': 'abc', 'me-central-1': 'abc', 'af-south-1': 'abc', 'il-central-1': 'abc',
};

export function availabilityZonesOf(region: string): string[] {
  return [...(AZ_LETTERS[region] ?? '')].map((letter) => `${region}${letter}`);
}
