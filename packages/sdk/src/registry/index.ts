// `@pullguard/sdk/registry`: the OCI registry client for embedders, so that an app built on the SDK
// gives its engine the resolver the CLI and server use (`createEngine({ resolver })`). Its own entry
// point, so that an app without registry rules loads no network code.
export * from '@pullguard/registry';
