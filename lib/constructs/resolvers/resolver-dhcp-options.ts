import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, type IDependable } from 'constructs';
import type { EnvConfig } from '../../config-schema/schema';

export interface ResolverDhcpOptionsProps {
  readonly config: EnvConfig;
  readonly vpc: ec2.IVpc;
  /** The resolvers' addresses, in the order hosts should try them. */
  readonly resolverAddresses: readonly string[];
  /** Associated only once these exist, so hosts are never pointed at resolvers not yet created. */
  readonly after: IDependable;
}

/** EC2's default domain name of a region, as the VPC's own DHCP options would give it. */
export function ec2DomainName(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}

/**
 * Points the VPC's hosts at the resolvers: a DHCP options set listing them, then AmazonProvidedDNS.
 * Resolver libraries try the list in order and move on only after a timeout (glibc: 5 s, first 3
 * entries), so the fallback carries traffic only when every resolver is silent, e.g. a cold start
 * of the whole fleet or the resolvers' own first boot; it then answers everything but the internal zones.
 */
export class ResolverDhcpOptions extends Construct {
  readonly options: ec2.CfnDHCPOptions;

  constructor(scope: Construct, id: string, props: ResolverDhcpOptionsProps) {
    super(scope, id);
    this.options = new ec2.CfnDHCPOptions(this, 'Options', {
      domainName: ec2DomainName(props.config.region),
      domainNameServers: [...props.resolverAddresses, 'AmazonProvidedDNS'],
      tags: [{ key: 'Name', value: `${props.config.name}-resolvers` }],
    });
    const association = new ec2.CfnVPCDHCPOptionsAssociation(this, 'Association', {
      vpcId: props.vpc.vpcId,
      dhcpOptionsId: this.options.ref,
    });
    association.node.addDependency(props.after);
  }
}
