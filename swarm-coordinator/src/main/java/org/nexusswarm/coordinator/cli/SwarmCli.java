package org.nexusswarm.coordinator.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code swarm} command line (picocli). Errors a user can fix are printed as one plain message with a
 * specific exit code; anything else as a short message, with the stack trace only when NEXUS_DEBUG is set.
 */
@Command(name = "swarm", mixinStandardHelpOptions = true, version = "Nexus Swarm 0.1.0",
        description = "Nexus Swarm: a safety-supervised agent swarm on Apache Pekko.",
        subcommands = {DemoCommand.class, NodeCommand.class, JournalCommand.class, CassandraAdminCommand.class,
                CredentialsCommand.class, PolicyCommand.class, ApprovalsCommand.class, KillCommand.class,
                ReleaseCommand.class, LiftCommand.class, BenchCommand.class, JournalBenchCommand.class,
                AepCommand.class, PacksCommand.class, CertsCommand.class, TransportBenchCommand.class, ClusterCommand.class,
                PopulationBenchCommand.class, RailCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success", "1:unexpected failure", "2:bad command line", "3:Cassandra unavailable",
            "4:not found", "5:already running", "6:refused by the node or the check", "7:blocked (e.g. awaits approval)",
            "8:verification failed (journal or evidence pack altered, incomplete or unreadable)",
            "9:the node cannot start or join (port in use, seed unreachable or of another cluster)"})
public final class SwarmCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command, e.g. 'swarm demo'");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests too). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SwarmCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError user) {
                err.println("error: " + user.getMessage());
                return user.exitCode();
            }
            if (e instanceof org.nexusswarm.coordinator.node.NodeStartException start) {
                err.println("error: " + start.getMessage());
                return ExitCodes.CANNOT_JOIN;
            }
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (System.getenv("NEXUS_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("(set NEXUS_DEBUG=1 for the stack trace)");
            }
            return ExitCodes.FAILURE;
        });
        return cli.execute(args);
    }
}
