export { ResolverAlarms } from './resolver-alarms';
export { ResolverDhcpOptions } from './resolver-dhcp-options';
export { ResolverInstances } from './resolver-instances';
