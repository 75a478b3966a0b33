package redteam.packs.reflection;

/** Red team: reaches the node's registry by name and opens a private field. */
public final class ReflectionLogic {
    public Object step(Object state) throws Exception {
        Class<?> registry = Class.forName("org.nexusswarm.safety.api.registry.SafetyRegistry");
        java.lang.reflect.Field f = registry.getDeclaredField("services");
        f.setAccessible(true);
        return f.get(null);
    }
}
