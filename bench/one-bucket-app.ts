// The floor every CDK synth pays: load aws-cdk-lib, build one bucket, write the assembly.
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new App();
new s3.Bucket(new Stack(app, 'Floor'), 'Bucket');
app.synth();
