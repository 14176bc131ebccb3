/**
 * The session an entry belongs to, when none is given: FAILURES_SESSION, else the CI run from the
 * usual CI variables (so all failures of one pipeline count as one session), else a stable id for
 * this user and day (UTC), so a day's work at one desk is one session.
 */
export function defaultSession(env: NodeJS.ProcessEnv, user: string, now: Date): string {
  if (env.FAILURES_SESSION) return env.FAILURES_SESSION;
  const ci = ciRun(env);
  if (ci) return ci;
  const day = now.toISOString().slice(0, 10);
  return `${slug(user) || 'user'}-${day}`;
}

/** Each CI's own id for one run of a pipeline; the first CI recognised wins. */
const CI_RUNS: Array<(env: NodeJS.ProcessEnv) => string | undefined> = [
  (e) => e.GITHUB_RUN_ID && `github-${e.GITHUB_RUN_ID}${e.GITHUB_RUN_ATTEMPT ? `.${e.GITHUB_RUN_ATTEMPT}` : ''}`,
  (e) => e.CI_PIPELINE_ID && `gitlab-${e.CI_PIPELINE_ID}`,
  (e) => e.BUILDKITE_BUILD_ID && `buildkite-${e.BUILDKITE_BUILD_ID}`,
  (e) => e.CIRCLE_WORKFLOW_ID && `circleci-${e.CIRCLE_WORKFLOW_ID}`,
  (e) => e.BUILD_BUILDID && e.TF_BUILD && `azure-${e.BUILD_BUILDID}`,
  (e) => e.BUILD_TAG && e.JENKINS_URL && `jenkins-${e.BUILD_TAG}`,
  (e) => e.TRAVIS_BUILD_ID && `travis-${e.TRAVIS_BUILD_ID}`,
  (e) => e.BITBUCKET_BUILD_NUMBER && `bitbucket-${e.BITBUCKET_BUILD_NUMBER}`,
  (e) => e.DRONE_BUILD_NUMBER && `drone-${e.DRONE_BUILD_NUMBER}`,
];

export function ciRun(env: NodeJS.ProcessEnv): string | undefined {
  for (const run of CI_RUNS) {
    const id = run(env);
    if (id) return slug(id);
  }
  return undefined;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}
