#!/usr/bin/env node
// First: bundling starts in a worker and runs while the app's modules load and its constructs are built.
import '../lib/synth-prebundle';
import { createApp } from '../lib/create-app';
import { exitOnConfigError } from '../lib/config-schema/cli';

exitOnConfigError(() => {
  // cdk-nag gates every synth. CDK's built-in CloudFormation lint is slow on this app, so it runs in
  // `npm run validate:cfn` (the pull-request workflow) rather than in every synth.
  const { app } = createApp({ appProps: { builtinCloudFormationValidation: process.env.MONSAAS_CFN_VALIDATE === '1' } });
  app.synth();
});
