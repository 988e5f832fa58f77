// The deploy/terraform module, read through a real HCL parser: its wiring is complete and its
// function matches the code it deploys.
import {
  dynamicBlock,
  expressions,
  loadTerraformDir,
  MODULE_DIR,
  nested,
  resource,
  resourcesOfType,
  undeclaredReferences,
  unusedVariables,
  type Block,
  type TerraformConfig,
} from './terraform-config';
import { OUTCOME_EVENT, OUTCOME_LABEL, OUTCOME_SEVERITY, SERVICE_LABEL } from '../../functions/notify/alert-log';
import { registeredEntryPoints } from './entry-points';

let mod: TerraformConfig;

beforeAll(async () => {
  mod = await loadTerraformDir(MODULE_DIR);
});

const uses = (block: unknown, ref: string): boolean => expressions(block).some((e) => e.includes(ref));

describe('deploy/terraform module', () => {
  it('parses every file and splits by concept', () => {
    expect(mod.files).toEqual(
      expect.arrayContaining([
        'versions.tf',
        'variables.tf',
        'outputs.tf',
        'pubsub.tf',
        'sink.tf',
        'function.tf',
        'iam.tf',
        'mesh-source.tf',
        'push-subscriptions.tf',
        'scheduler.tf',
        'monitoring.tf',
        'permissions.tf',
        'sink-filter.tf',
      ]),
    );
  });

  it('references only declared variables, locals and resources, and uses every variable', () => {
    expect(undeclaredReferences(mod)).toEqual([]);
    expect(unusedVariables(mod)).toEqual([]);
  });

  it('pins the google provider to 6.13 or later 6.x', () => {
    const providers = mod.terraform.flatMap((t) => (t.required_providers ?? []) as Block[]);
    expect(providers).toContainEqual({ google: { source: 'hashicorp/google', version: '>= 6.13, < 7.0' } });
  });

  it('deploys exactly the entry points functions/index.ts registers, on nodejs22 with 256M', () => {
    const fn = resource(mod, 'google_cloudfunctions2_function.this');
    expect(fn.for_each).toBe('${local.functions}');
    const build = nested(fn, 'build_config');
    expect(build.runtime).toBe('nodejs22');
    expect(build.entry_point).toBe('${each.value.entry_point}');
    expect(nested(fn, 'service_config').available_memory).toBe('256M');

    const functions = mod.locals.functions as Record<string, { entry_point: string }>;
    const deployed = Object.values(functions)
      .map((f) => f.entry_point)
      .sort();
    const registered = registeredEntryPoints();
    expect(deployed).toEqual(Object.keys(registered).sort());
    expect(registered).toEqual({ remediateDrift: 'cloudevent', sweep: 'http' });
    expect(functions.remediate!.entry_point).toBe('remediateDrift');
    expect(functions.sweep!.entry_point).toBe('sweep');
  });

  it('gives the functions the environment contract of the README', () => {
    const service = nested(resource(mod, 'google_cloudfunctions2_function.this'), 'service_config');
    const env = service.environment_variables as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(['DRY_RUN', 'MESH_CONFIG', 'NODE_OPTIONS', 'REPORT_TOPIC', 'SELF_PRINCIPAL', 'SWEEP_TOPIC']);
    expect(env.NODE_OPTIONS).toBe('--max-old-space-size=128');
    expect(env.SWEEP_TOPIC).toBe('${google_pubsub_topic.sweep.id}');
    expect(env.SELF_PRINCIPAL).toBe('${google_service_account.function.email}');
    expect(service.service_account_email).toBe('${google_service_account.function.email}');
    expect(env.REPORT_TOPIC).toBe('${google_pubsub_topic.report.id}');

    // MESH_CONFIG is the mesh source's (mesh-source.tf): the file the secret volume mounts, or the
    // gs:// object; the volume exists only with the secret (both planned in tests/module.tftest.hcl).
    expect(env.MESH_CONFIG).toBe('${local.mesh_config}');
    const volume = dynamicBlock(service, 'secret_volumes');
    expect(volume.for_each).toBe('${google_secret_manager_secret_version.mesh}');
    expect(volume.content.secret).toBe('${google_secret_manager_secret.mesh[0].secret_id}');
    expect(nested(volume.content, 'versions').path).toBe('mesh.yaml');
    expect(mod.locals.mesh_config).toBe(
      '${local.mesh_in_bucket ? "gs://${var.mesh_bucket}/${local.mesh_object}" : "${local.mesh_mount_path}/mesh.yaml"}',
    );

    // The Slack webhook comes from Secret Manager, never from a plain variable.
    expect(dynamicBlock(service, 'secret_environment_variables').content.key).toBe('SLACK_WEBHOOK_URL');
    expect(uses(resource(mod, 'google_secret_manager_secret_iam_member.slack_reader'), 'var.slack_webhook_secret_id')).toBe(true);
    expect(resource(mod, 'google_secret_manager_secret_iam_member.slack_reader').role).toBe('roles/secretmanager.secretAccessor');
  });

  // Both push subscriptions are one definition (push-subscriptions.tf), one per entry of this local.
  const pushSubscriptions = (): Record<string, Record<string, string>> =>
    mod.locals.push_subscriptions as Record<string, Record<string, string>>;

  it('fans sweep shards out through a push subscription to the sweep function, dead-lettered like events', () => {
    expect(pushSubscriptions().sweep).toMatchObject({
      topic: '${google_pubsub_topic.sweep.id}',
      endpoint: '${local.sweep_uri}',
      audience: '${local.sweep_uri}',
    });
    expect(resource(mod, 'google_cloud_run_v2_service_iam_member.sweep_push_invoker').member).toBe(
      'serviceAccount:${google_service_account.push_invoker.email}',
    );
    expect(resource(mod, 'google_pubsub_topic_iam_member.sweep_publisher').member).toBe(
      'serviceAccount:${google_service_account.function.email}',
    );
  });

  it('delivers audit entries through a push subscription with retries and a kept dead-letter topic', () => {
    expect(pushSubscriptions().audit).toMatchObject({
      topic: '${google_pubsub_topic.audit.id}',
      endpoint: '${local.remediate_uri}/${google_pubsub_topic.audit.id}',
      audience: '${local.remediate_uri}',
    });
    const push = resource(mod, 'google_pubsub_subscription.push');
    expect(push.for_each).toBe('${local.push_subscriptions}');
    expect(nested(push, 'dead_letter_policy').dead_letter_topic).toBe('${google_pubsub_topic.dead_letter.id}');
    expect(nested(push, 'retry_policy')).toEqual({ minimum_backoff: '10s', maximum_backoff: '600s' });
    const pushConfig = nested(push, 'push_config');
    expect(pushConfig.push_endpoint).toBe('${each.value.endpoint}');
    expect(mod.locals.remediate_uri).toBe('${google_cloudfunctions2_function.this["remediate"].service_config[0].uri}');
    expect(nested(pushConfig, 'oidc_token').service_account_email).toBe('${google_service_account.push_invoker.email}');

    // Dead letters are kept by a subscription of their own.
    expect(resource(mod, 'google_pubsub_subscription.dead_letter').topic).toBe('${google_pubsub_topic.dead_letter.id}');
    // Pub/Sub's service agent may forward to the DLQ and ack the source.
    expect(resource(mod, 'google_pubsub_topic_iam_member.dead_letter_forwarder').member).toBe('${local.pubsub_service_agent}');
    const acker = resource(mod, 'google_pubsub_subscription_iam_member.dead_letter_acker');
    expect(acker.for_each).toBe('${google_pubsub_subscription.push}');
    expect(acker.subscription).toBe('${each.value.name}');

    // The push identity may invoke remediateDrift.
    const invoker = resource(mod, 'google_cloud_run_v2_service_iam_member.push_invoker');
    expect(invoker.role).toBe('roles/run.invoker');
    expect(invoker.name).toBe('${google_cloudfunctions2_function.this["remediate"].name}');
    expect(invoker.member).toBe('serviceAccount:${google_service_account.push_invoker.email}');
  });

  it('has one sink per scope, selected by sink_scope, each publishing to the audit topic through a granted writer identity', () => {
    const scopes = {
      project: 'google_logging_project_sink',
      folder: 'google_logging_folder_sink',
      organization: 'google_logging_organization_sink',
    };
    for (const [scope, type] of Object.entries(scopes)) {
      const sink = resource(mod, `${type}.audit`);
      expect(sink.count).toBe(`\${var.sink_scope == "${scope}" ? 1 : 0}`);
      expect(sink.filter).toBe('${local.sink_filter}');
      expect(sink.destination).toBe('${local.sink_destination}');
      if (scope !== 'project') expect(sink.include_children).toBe(true);
      expect(uses(mod.locals.sink_writer_identity, `${type}.audit[*].writer_identity`)).toBe(true);
    }
    expect(mod.locals.sink_destination).toBe('pubsub.googleapis.com/${google_pubsub_topic.audit.id}');
    const grant = resource(mod, 'google_pubsub_topic_iam_member.sink_writer');
    expect(grant).toMatchObject({
      role: 'roles/pubsub.publisher',
      member: '${local.sink_writer_identity}',
      topic: '${google_pubsub_topic.audit.name}',
    });
    expect((mod.variables.sink_scope!.validation as Block[])[0]!.condition).toBe(
      '${contains(["project", "folder", "organization"], var.sink_scope)}',
    );
  });

  it('defines one custom role per grant, from the generated permission lists, and binds it from known role names', () => {
    expect(resource(mod, 'google_project_iam_custom_role.this').permissions).toBe('${local.role_permissions[each.value.grant]}');
    expect(resource(mod, 'google_organization_iam_custom_role.this').permissions).toBe('${each.value}');
    expect(uses(mod.locals.role_permissions, 'var.recreate_on_immutable_drift')).toBe(true);
    expect(uses(mod.locals.role_permissions, 'local.granted_permissions')).toBe(true);
    for (const address of ['google_cloud_run_v2_service_iam_member.repair', 'google_project_iam_member.function']) {
      expect(resource(mod, address).member).toBe('${local.function_member}');
      expect(uses(resource(mod, address).role, 'local.role_name')).toBe(true);
    }
    expect(resource(mod, 'google_cloud_run_v2_service_iam_member.repair').for_each).toBe('${local.cloud_run_services}');
    expect(mod.locals.function_member).toBe('serviceAccount:${google_service_account.function.email}');
    // No project-wide binding of a predefined role to the function besides what is listed here.
    const predefined = Object.entries(resourcesOfType(mod, 'google_project_iam_member')).filter(([, b]) =>
      uses(b.member, 'local.function_member'),
    );
    expect(predefined.map(([name]) => name)).toEqual(['function']);
  });

  it('lets Cloud Scheduler call sweep with an OIDC identity that may invoke it', () => {
    const job = resource(mod, 'google_cloud_scheduler_job.sweep');
    const target = nested(job, 'http_target');
    expect(target.uri).toBe('${local.sweep_uri}');
    expect(mod.locals.sweep_uri).toBe('${google_cloudfunctions2_function.this["sweep"].service_config[0].uri}');
    const oidc = nested(target, 'oidc_token');
    expect(oidc.service_account_email).toBe('${google_service_account.scheduler.email}');
    expect(oidc.audience).toBe(target.uri);
    const invoker = resource(mod, 'google_cloud_run_v2_service_iam_member.sweep_invoker');
    expect(invoker).toMatchObject({
      role: 'roles/run.invoker',
      name: '${google_cloudfunctions2_function.this["sweep"].name}',
      member: 'serviceAccount:${google_service_account.scheduler.email}',
    });
  });

  it('counts outcome lines by outcome and service and alerts on the log lines themselves, not on the new metric', () => {
    // The names the notify code writes (functions/notify/alert-log.ts).
    expect(expressions(mod.locals.outcome_log_filter).join(' ')).toContain(`jsonPayload.event=\\"${OUTCOME_EVENT}\\"`);
    expect([mod.locals.outcome_label, mod.locals.service_label]).toEqual([OUTCOME_LABEL, SERVICE_LABEL]);
    const metric = resource(mod, 'google_logging_metric.outcomes');
    expect(metric.filter).toBe('${local.outcome_log_filter}');
    expect(metric.label_extractors).toEqual({
      outcome: 'EXTRACT(labels.${local.outcome_label})',
      service: 'EXTRACT(labels.${local.service_label})',
    });
    const alerted = Object.keys(mod.locals.alerted_outcomes as Block).sort();
    expect(alerted).toEqual(['breaker-open', 'failed']);
    for (const outcome of alerted) expect(Object.keys(OUTCOME_SEVERITY)).toContain(outcome);
    const policy = resource(mod, 'google_monitoring_alert_policy.outcomes');
    expect(policy.notification_channels).toBe('${var.notification_channels}');
    // An alert on a log-based metric created in the same apply fails with 404 until the metric
    // propagates; a log-match condition depends on nothing.
    expect(uses(policy, 'google_logging_metric.outcomes')).toBe(false);
    const conditions = dynamicBlock(policy, 'conditions');
    expect(conditions.for_each).toBe('${local.alerted_outcomes}');
    const matched = nested(conditions.content, 'condition_matched_log');
    expect(uses(matched.filter, 'local.outcome_log_filter')).toBe(true);
    expect(expressions(matched.filter).join(' ')).toContain('conditions.key');
    expect(nested(nested(policy, 'alert_strategy'), 'notification_rate_limit').period).toBe('300s');
  });

  it('replaces a changed mesh version only after the functions moved to the new one', () => {
    const version = resource(mod, 'google_secret_manager_secret_version.mesh');
    expect(nested(version, 'lifecycle').create_before_destroy).toBe(true);
  });

  it('builds with its own service account, never the project default', () => {
    const build = nested(resource(mod, 'google_cloudfunctions2_function.this'), 'build_config');
    expect(build.service_account).toBe('${google_service_account.build.id}');
    expect(resource(mod, 'google_project_iam_member.build').member).toBe('serviceAccount:${google_service_account.build.email}');
  });

  it('gives remediateDrift longer than the 10-minute operation wait of the adapter, and the push its maximum ack deadline', () => {
    const functions = mod.locals.functions as Record<string, { timeout_seconds: number }>;
    for (const f of Object.values(functions)) expect(f.timeout_seconds).toBeGreaterThan(10 * 60);
    expect(resource(mod, 'google_pubsub_subscription.push').ack_deadline_seconds).toBe(600);
  });

  it('creates no resource type outside the google provider', () => {
    const types = Object.keys(mod.resources).map((a) => a.split('.')[0]);
    expect(types.filter((t) => !t!.startsWith('google_'))).toEqual([]);
    expect(Object.keys(resourcesOfType(mod, 'google_service_account')).sort()).toEqual(['build', 'function', 'push_invoker', 'scheduler']);
  });
});
