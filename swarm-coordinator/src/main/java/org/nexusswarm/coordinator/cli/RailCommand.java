package org.nexusswarm.coordinator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code swarm rail ...}: rails as cluster state. {@code secret} manages the rail secrets in a node keystore
 * (local); the other subcommands are thin adapters over a node's operator API.
 */
@Command(name = "rail", mixinStandardHelpOptions = true,
        description = "Deploy, list, show and undeploy rails cluster-wide; manage rail secrets.",
        subcommands = {RailSecretCommand.class})
final class RailCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand (see 'rail --help')");
    }
}
