// Every command of the CLI: its options and arguments (from which commander parses, and help,
// completion and docs/cli.md are generated), examples, exit codes, and the module that runs it.
// Actions are imported lazily: `validate` never loads a Google client, `emulator` (test tooling)
// loads only on demand, and `--help` loads none of them. A new command is one entry here and one file.
import { Argument, Option } from 'commander';
import type { CommandAction } from './command';
import { configOption, drainWaitOption, dryRunOption, formatOption, jsonOption, serviceOption } from './options';

export interface CommandSpec {
  name: string;
  /** One line, in the command list. */
  summary: string;
  /** Its help's paragraph (the summary when absent). */
  description?: string;
  arguments?: () => Argument[];
  options: () => Option[];
  /** Shown under "Examples:" in its help, each as a shell line. */
  examples: string[];
  exitCodes?: string;
  /** Loads the command's module on first use (a dynamic import: typed, and lazy). */
  load: () => Promise<CommandAction>;
}

const DRIFT_EXIT = '0 no drift, 2 drift, 1 error (a read that fails is an error, never "no drift")';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    summary: 'check a mesh file against the schema and print every derived resource name',
    description:
      'Checks a mesh file (schema, derived names, no two services claiming one resource) and prints what it declares. Reads only the file.',
    options: () => [configOption(), new Option('--json', 'print the resolved mesh (or the problems) as one JSON document')],
    examples: ['mesh-remediator validate --config deploy/mesh.example.yaml'],
    exitCodes: '0 valid, 1 problems in the file',
    load: async () => (await import('./validate')).validate,
  },
  {
    name: 'diff',
    summary: 'show drift per declared service; never writes',
    description:
      'Reads each declared service and its six load balancer resources, compares them with the declaration and prints the drift and the steps a reconcile would take. With --service, the chain is drawn link by link.',
    options: () => [configOption(), serviceOption(), formatOption(), jsonOption()],
    examples: [
      'mesh-remediator diff --config mesh.yaml',
      'mesh-remediator diff --service server-service',
      'mesh-remediator diff --service server-service --format dot | dot -Tsvg > chain.svg',
    ],
    exitCodes: DRIFT_EXIT,
    load: async () => (await import('./diff')).diff,
  },
  {
    name: 'reconcile',
    summary: 'repair drift now, as the function would (--dry-run: only plan)',
    description:
      "Runs the function's reconcile for every declared service (or --service): read, diff, plan, apply, verify by a re-read. Notifies as the function does.",
    options: () => [configOption(), serviceOption(), dryRunOption(), jsonOption()],
    examples: [
      'mesh-remediator reconcile --config mesh.yaml --dry-run',
      'mesh-remediator reconcile --config mesh.yaml --service server-service',
    ],
    exitCodes:
      '0 every service in sync or repaired, 2 drift left (dry run, paused, breaker open, drift the policy does not repair), 1 a repair failed or an error',
    load: async () => (await import('./reconcile')).reconcile,
  },
  {
    name: 'replay',
    summary: 'replay exported audit events: each affected service reconciled once',
    description:
      "Reads exported audit events (gcloud logging read JSON, JSON lines, Pub/Sub messages, push bodies, CloudEvents; detected per record), puts each through the function's intake, and reconciles each affected service once. --publish republishes the routed entries to the trigger topic instead. --subscription pulls the messages waiting on a (dead-letter) subscription instead of reading a file, and acknowledges each only once every service it names was reconciled (--dry-run acknowledges nothing).",
    arguments: () => [new Argument('[file]', 'the export to read; - reads stdin (none with --subscription)')],
    options: () => [
      configOption(),
      serviceOption(),
      dryRunOption(),
      new Option('--since <time>', 'only entries at or after this RFC 3339 time (e.g. 2026-11-25T09:00:00Z)'),
      new Option('--until <time>', 'only entries before this RFC 3339 time'),
      new Option('--publish <topic>', 'republish the routed entries to projects/P/topics/T instead of reconciling here'),
      new Option(
        '--subscription <name>',
        'pull the messages waiting on projects/P/subscriptions/S (the dead letters) instead of reading a file',
      ),
      drainWaitOption(),
      jsonOption(),
    ],
    examples: [
      'mesh-remediator replay --dry-run --config mesh.yaml audit.json',
      'gcloud logging read ... --format=json | mesh-remediator replay --since 2026-11-25T00:00:00Z -',
      'mesh-remediator replay --publish projects/demo-project/topics/mesh-audit audit.json',
      'mesh-remediator replay --subscription projects/demo-project/subscriptions/mesh-remediator-dead-letter',
    ],
    exitCodes:
      '0 every affected service in sync or repaired (or none affected; with --publish: published), 2 drift left, 1 a repair failed, no usable record, or an error',
    load: async () => (await import('./replay')).replay,
  },
  {
    name: 'sweep-report',
    summary: "a fanned-out sweep's summary: its shards' reports, joined from a subscription on the report topic",
    description:
      "Pulls the messages waiting on a subscription of the report topic (REPORT_TOPIC), joins the shard reports (attribute kind=sweep-shard) of one sweep, a shard reported twice counted once, and prints the sweep's summary. Reports of several sweeps are never joined: choose one with --sweep. Acknowledges nothing unless --ack (then only the reports joined); every other message goes back on the subscription at once.",
    options: () => [
      new Option('--subscription <name>', 'pull from projects/P/subscriptions/S, a subscription on the report topic (required)'),
      new Option('--sweep <id>', "join this sweep's reports (needed when reports of several sweeps wait)"),
      new Option('--ack', 'acknowledge the reports joined (default: leave every message for other readers)'),
      drainWaitOption(),
      jsonOption(),
    ],
    examples: [
      'mesh-remediator sweep-report --subscription projects/demo-project/subscriptions/mesh-reports-ops',
      'mesh-remediator sweep-report --subscription projects/demo-project/subscriptions/mesh-reports-ops --sweep 6f1c… --ack --json',
    ],
    exitCodes:
      '0 every service in sync or repaired, 2 drift left (dry run, paused, breaker open, policy), 1 a failed repair or service error, no shard report, or reports of several sweeps without --sweep',
    load: async () => (await import('./sweep-report')).sweepReport,
  },
  {
    name: 'status',
    summary: "the fleet on one screen: each service's chain, pause and verdict; never writes",
    description:
      'One row per declared service: its ingress, the state of each link of its chain (address → forwarding rule → target proxy → URL map → backend service → NEG → Cloud Run service), paused-until, and what a reconcile would do now; then a summary line. With --service, each chain is drawn.',
    options: () => [configOption(), serviceOption(), formatOption(), jsonOption()],
    examples: [
      'mesh-remediator status --config mesh.yaml',
      'mesh-remediator status --service server-service',
      'mesh-remediator status --format mermaid > chain.mmd',
    ],
    exitCodes: DRIFT_EXIT,
    load: async () => (await import('./status')).status,
  },
  {
    name: 'explain',
    summary: 'what the function would do with an event, and why; never writes',
    description:
      "Puts each record of FILE (any envelope the function accepts: a LogEntry, a Pub/Sub message or push body, a CloudEvent) through the function's intake and says which skip reason applies and why, or which services it routes to and the plan a reconcile would make now.",
    arguments: () => [new Argument('<file>', 'the event(s); - reads stdin')],
    options: () => [configOption(), jsonOption()],
    examples: [
      'mesh-remediator explain --config mesh.yaml event.json',
      'gcloud logging read ... --limit=1 --format=json | mesh-remediator explain -',
    ],
    exitCodes: '0 skipped or routed to services in sync, 2 a routed service has drift, 1 a malformed record or an error',
    load: async () => (await import('./explain')).explain,
  },
  {
    name: 'import',
    summary: 'write a mesh.yaml from what exists (list calls, or terraform show -json)',
    description:
      "Finds every serverless NEG pointing at a Cloud Run service and walks its chain up (backend service, URL map, target proxy, INTERNAL_MANAGED forwarding rule, address); each complete chain becomes an entry, with names overrides where a name does not follow <prefix>-…. Partial, ambiguous or foreign chains are reported on stderr with the reason and left out. The output is sorted and commented with where each value came from, and checked with the function's own loader before it is written.",
    options: () => [
      new Option(
        '--project <id>',
        'list this project (every region holding an internal forwarding rule, or --region); with --terraform: the project of resources whose project the document leaves unknown',
      ),
      new Option(
        '--region <region>',
        'a region to list; repeatable (default: the regions holding an INTERNAL_MANAGED forwarding rule, and with --merge those the mesh declares)',
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
      new Option('--terraform <file>', 'read terraform show -json output (state or plan) instead of listing'),
      new Option('--merge <file>', 'update this mesh file in place: entries found are updated, others, clients, policy and comments kept'),
      new Option('--out <file>', 'write here (default: stdout, or the --merge file)'),
    ],
    examples: [
      'mesh-remediator import --project demo-project > mesh.yaml',
      'mesh-remediator import --project demo-project --region asia-northeast1 --out mesh.yaml',
      'terraform show -json > state.json && mesh-remediator import --terraform state.json --out mesh.yaml',
      'mesh-remediator import --project demo-project --merge mesh.yaml',
    ],
    exitCodes: '0 every chain imported, 2 written but some chains left out (listed on stderr), 1 nothing written',
    load: async () => (await import('./import')).importMesh,
  },
  {
    name: 'completion',
    summary: 'print a shell completion script (bash or zsh)',
    description: "Prints a completion script for the commands and options of this CLI. Load it from your shell's start-up file.",
    arguments: () => [new Argument('<shell>', 'the shell').choices(['bash', 'zsh'])],
    options: () => [],
    examples: [
      'source <(mesh-remediator completion bash)      # in ~/.bashrc',
      'source <(mesh-remediator completion zsh)       # in ~/.zshrc',
    ],
    exitCodes: '0',
    load: async () => (await import('./completion')).completion,
  },
  {
    name: 'emulator',
    summary: 'start the local Cloud Run + Compute emulator seeded with a mesh (test tooling)',
    description:
      'Starts the local emulator with the declared mesh created healthy and prints the environment lines to use it; runs until SIGINT/SIGTERM.',
    options: () => [
      new Option('--port <port>', 'port to listen on (0: any free port)').default('8090'),
      new Option('--host <host>', 'address to listen on').default('127.0.0.1'),
      new Option('--seed <file>', 'mesh file whose services are created healthy'),
      new Option('--config <file>', 'same as --seed'),
      new Option('--audit-push <url>', 'POST each audit entry as a Pub/Sub push body to this URL'),
      new Option('--audit-topic <topic>', 'publish each audit entry to this topic on the Pub/Sub emulator'),
      new Option('--operation-delay-ms <ms>', 'how long operations take to finish'),
      new Option('--latency-ms <ms>', 'added latency per request'),
      new Option('--principal <email>', 'principal written into audit entries'),
      new Option('--faults <json>', 'fault settings as JSON, e.g. \'{"rate503":0.1,"seed":7}\''),
      new Option('--log-audit', 'print each audit entry on stderr'),
    ],
    examples: ['mesh-remediator emulator --port 8090 --seed deploy/mesh.example.yaml'],
    load: async () => {
      const { emulator } = await import('./emulator');
      return ({ argv }, io) => emulator(argv, io);
    },
  },
];
