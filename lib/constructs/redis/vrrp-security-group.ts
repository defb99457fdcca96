import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Lets the two nodes of ONE shard exchange VRRP adverts (unicast), and nobody else. */
export class VrrpSecurityGroup extends Construct {
  readonly group: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: { readonly vpc: ec2.IVpc; readonly shard: number }) {
    super(scope, id);
    this.group = new ec2.SecurityGroup(this, 'Group', {
      vpc: props.vpc,
      description: `Redis shard ${props.shard}: VRRP between its two nodes only`,
      allowAllOutbound: false,
    });
    const vrrp = new ec2.Port({ protocol: ec2.Protocol.VRRP, stringRepresentation: 'VRRP (IP protocol 112)' });
    this.group.addIngressRule(this.group, vrrp, `VRRP adverts from the peer node of shard ${props.shard}`);
    this.group.addEgressRule(this.group, vrrp, `VRRP adverts to the peer node of shard ${props.shard}`);
  }
}
