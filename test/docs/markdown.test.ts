import GithubSlugger from 'github-slugger';
import { expect, it } from 'vitest';
import { renderedText } from './markdown';

it('slugs headings as GitHub does: code keeps underscores, emphasis and link targets go', () => {
  const slug = (heading: string) => new GithubSlugger().slug(renderedText(heading));
  expect(slug('Flush `flush_negative` **now**')).toBe('flush-flush_negative-now');
  expect(slug('Split brain (master-count = 2)')).toBe('split-brain-master-count--2');
  expect(slug('A node stays fenced: merge its data')).toBe('a-node-stays-fenced-merge-its-data');
  expect(slug('See [the setup](README.md#before-you-start) _first_')).toBe('see-the-setup-first');
});
