import { App, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureModel, DIAGRAM_PATH, renderArchitectureSvg, renderSvg } from '../../scripts/diagram';

/** Two stacks, one reading the other's stream: the smallest app with an arrow in it. */
function tinyApp() {
  const app = new App();
  const env = { account: '123456789012', region: 'ap-northeast-1' };
  const data = new Stack(app, 'monsaas-tiny-data', { env, description: 'Data & <streams>' });
  const stream = new kinesis.Stream(data, 'Stream');
  const monitoring = new Stack(app, 'monsaas-tiny-monitoring', { env, description: 'Alarms', crossRegionReferences: false });
  new sns.Topic(monitoring, 'Topic');
  new cloudwatch.Alarm(monitoring, 'ReadDelay', { metric: stream.metricGetRecordsIteratorAgeMilliseconds(), threshold: 1, evaluationPeriods: 1 });
  return architectureModel([data, monitoring], 'tiny');
}

describe('architecture diagram', () => {
  it('lists each stack with its main resources and the references between stacks', () => {
    const model = tinyApp();
    expect(model.stacks.map((s) => [s.part, s.resources])).toEqual([
      ['data', ['Kinesis stream']],
      ['monitoring', ['SNS topic', 'alarm']],
    ]);
    expect(model.edges).toEqual([{ from: 'monsaas-tiny-monitoring', to: 'monsaas-tiny-data', label: 'Kinesis stream' }]);
  });

  it('draws boxes, arrows and escaped text, the same way every time', () => {
    const svg = renderSvg(tinyApp());
    expect(svg).toBe(renderSvg(tinyApp()));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.match(/<rect [^>]*rx="8"/g)).toHaveLength(2);
    expect(svg.match(/<line /g)).toHaveLength(1);
    expect(svg).toContain('Data &amp; &lt;streams&gt;');
    expect(svg).toContain('• Kinesis stream');
  });

  it('docs/architecture.svg is the picture of the current app (run `npm run diagram` when this fails)', () => {
    const committed = fs.existsSync(DIAGRAM_PATH) ? fs.readFileSync(DIAGRAM_PATH, 'utf8') : '(missing)';
    expect(renderArchitectureSvg() === committed, 'docs/architecture.svg is out of date: run npm run diagram and commit it').toBe(true);
  });
});
