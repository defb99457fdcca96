#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildPlatform } from '../lib/create-app';
import { exitOnConfigError } from '../lib/config-schema/cli';

exitOnConfigError(() => {
  // cdk-nag gates every synth. CDK's built-in CloudFormation lint costs ~25 s on this app, so it runs
  // in `npm run validate:cfn` (the pull-request workflow) rather than in every synth.
  const app = new App({ builtinCloudFormationValidation: process.env.MONSAAS_CFN_VALIDATE === '1' });
  buildPlatform(app);
  app.synth();
});
