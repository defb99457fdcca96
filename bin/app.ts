#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildPlatform } from '../lib/app-factory';
import { exitOnConfigError } from '../lib/config/cli';

exitOnConfigError(() => {
  const app = new App();
  buildPlatform(app);
  app.synth();
});
