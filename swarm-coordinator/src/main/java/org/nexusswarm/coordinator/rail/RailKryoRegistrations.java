package org.nexusswarm.coordinator.rail;

import org.nexusswarm.actors.serialization.KryoRegistrations;

/**
 * Kryo ids 1610-1639: rails as cluster state. The registry's journal holds {@link RailDeploymentRegistry.RailDeployed}
 * and {@link RailDeploymentRegistry.RailUndeployed} (with {@link RailDeployment}), its snapshots
 * {@link RailDeploymentRegistry.State}. Never renumber.
 */
public final class RailKryoRegistrations implements KryoRegistrations {
    @Override
    public void register(Registrar r) {
        r.register(RailDeployment.class, 1610);
        r.register(RailDeploymentRegistry.RailDeployed.class, 1611);
        r.register(RailDeploymentRegistry.RailUndeployed.class, 1612);
        r.register(RailDeploymentRegistry.State.class, 1613);
        r.register(RailDeploymentRegistry.Deploy.class, 1614);
        r.register(RailDeploymentRegistry.Undeploy.class, 1615);
        r.register(RailDeploymentRegistry.GetDeployments.class, 1616);
        r.register(RailDeploymentRegistry.Deployments.class, 1617);
    }
}
