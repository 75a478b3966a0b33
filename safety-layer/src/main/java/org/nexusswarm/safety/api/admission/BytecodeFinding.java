package org.nexusswarm.safety.api.admission;

/**
 * One forbidden reference found in a pack's class.
 *
 * @param className the class that holds the reference (binary name, e.g. {@code org.x.Evil})
 * @param member    where in the class: a method as {@code step(..)}, a field name, or {@code <class>} for the class
 *                  header (superclass, interfaces, annotations, signature) and {@code <constant pool>} for a constant
 *                  no method or header uses
 * @param reference what it references, in JVM form: a type {@code java/lang/Thread}, a method
 *                  {@code java/lang/System.exit(I)V}, a field {@code java/lang/System.out:Ljava/io/PrintStream;}
 * @param category  why it is forbidden (see {@link AdmissionRules}), e.g. {@code System/Runtime}
 */
public record BytecodeFinding(String className, String member, String reference, String category) {

    /** {@code org.x.Evil.step(..) references java/lang/System.exit(I)V (forbidden: System/Runtime)}. */
    public String describe() {
        return className + "." + member + " references " + reference + " (forbidden: " + category + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
