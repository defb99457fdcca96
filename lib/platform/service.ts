/** The service's short name: prefix of every stack (<service>-<env>-<part>) and value of the "service" tag. */
export const SERVICE = 'monsaas';
