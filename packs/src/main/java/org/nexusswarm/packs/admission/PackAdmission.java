package org.nexusswarm.packs.admission;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.safety.api.admission.AdmissionRules;
import org.nexusswarm.safety.api.admission.BytecodeAdmission;
import org.nexusswarm.safety.api.admission.BytecodeFinding;
import org.nexusswarm.safety.api.admission.PackFiles;
import org.nexusswarm.safety.api.admission.PackManifest;
import org.nexusswarm.safety.api.admission.TrustedPublishers;
import org.nexusswarm.safety.api.credential.IssuerKeys;

/**
 * Pack admission: a pack is deployed only when its signed manifest verifies (always enforced) and, with
 * {@code nexus.swarm.packs.admission.bytecode = enforce}, its classes pass the bytecode check. Nothing of a pack
 * runs before that: the pack is found through its manifest ({@code <manifest-dir>/<pack>.manifest.json} names its
 * implementation class), its files are read from the class path without loading a class, and only an admitted
 * pack is instantiated (through its {@link ServiceLoader} provider).
 *
 * <p>Agent code, for the bytecode rule, is every class in the pack implementation's package and its sub-packages:
 * the pack class itself, its blueprint builders and signal scripts included (simple and honest: they all ship in
 * the pack). The {@link Pack} SPI and its default methods live in {@code org.nexusswarm.packs}, outside every pack
 * package, and are allowed as API. A pack may not live in {@code org.nexusswarm.packs} itself nor elsewhere under
 * {@code org.nexusswarm} (a split package would reach package-private internals).
 *
 * <p>Known limits: classes are checked as they are on disk; a class-path entry changed between the check and the
 * load, or an operator who controls the JVM, is out of reach. {@code META-INF/services} files are not in the
 * manifest (they name classes; a named class outside the manifest is never admitted).
 */
public final class PackAdmission {

    /** Whether the bytecode check refuses a pack ({@code enforce}) or only reports ({@code off}). */
    public enum BytecodeMode { ENFORCE, OFF }

    /**
     * Resources outside the pack's package that belong to it: its shipped policies (see Pack#policyText) and its
     * payload type declarations (see {@link PayloadTypeRegistrations}).
     */
    public static final List<String> RESOURCE_PREFIXES = List.of("policies/", "META-INF/nexus/");

    /**
     * @param manifestDir            where {@code <pack>.manifest.json} files live
     * @param trustedPublishersFile  the trusted pack publishers (see {@link TrustedPublishers})
     * @param bytecode               config {@code nexus.swarm.packs.admission.bytecode}
     * @param requirePostQuantum     config {@code nexus.swarm.packs.admission.require-post-quantum}
     */
    public record Settings(Path manifestDir, Path trustedPublishersFile, BytecodeMode bytecode,
                           boolean requirePostQuantum) {
        public static Settings from(Config config) {
            Config c = config.getConfig("nexus.swarm.packs.admission");
            return new Settings(Path.of(c.getString("manifest-dir")), Path.of(c.getString("trusted-publishers-file")),
                    BytecodeMode.valueOf(c.getString("bytecode").toUpperCase(Locale.ROOT)),
                    c.getBoolean("require-post-quantum"));
        }

        public Path manifestFile(String pack) {
            return manifestDir.resolve(pack + ".manifest.json");
        }
    }

    /** Everything known about one pack without running any of it. */
    public record Report(String pack, Optional<String> packClass, Optional<PackManifest> manifest,
                         List<String> manifestProblems, List<BytecodeFinding> bytecodeFindings,
                         List<String> packageProblems, BytecodeMode bytecodeMode) {

        public boolean manifestValid() {
            return manifest.isPresent() && manifestProblems.isEmpty();
        }

        public boolean bytecodeClean() {
            return packClass.isPresent() && bytecodeFindings.isEmpty() && packageProblems.isEmpty();
        }

        public boolean admitted() {
            return manifestValid() && packageProblems.isEmpty()
                    && (bytecodeMode == BytecodeMode.OFF || bytecodeFindings.isEmpty());
        }

        /** The one line an operator reads: why the pack is refused, or empty when admitted. */
        public Optional<String> refusal() {
            String prefix = "pack " + pack + " refused: ";
            if (!packageProblems.isEmpty()) {
                return Optional.of(prefix + packageProblems.get(0));
            }
            if (!manifestProblems.isEmpty()) {
                return Optional.of(prefix + manifestProblems.get(0));
            }
            if (bytecodeMode == BytecodeMode.ENFORCE && !bytecodeFindings.isEmpty()) {
                return Optional.of(prefix + bytecodeFindings.get(0).describe()
                        + (bytecodeFindings.size() > 1 ? " (and " + (bytecodeFindings.size() - 1) + " more)" : ""));
            }
            return Optional.empty();
        }
    }

    /** A pack refused at admission; the message is {@link Report#refusal()}. */
    public static final class PackRefusedException extends RuntimeException {
        private final transient Report report;

        public PackRefusedException(Report report) {
            super(report.refusal().orElse("pack " + report.pack() + " refused"));
            this.report = report;
        }

        /** The same refusal with a different message (e.g. a hint for the operator). */
        public PackRefusedException(Report report, String message) {
            super(message);
            this.report = report;
        }

        public Report report() {
            return report;
        }
    }

    private final Settings settings;
    private final AdmissionRules rules;
    private final ClassLoader loader;

    public PackAdmission(Settings settings) {
        this(settings, rules(), PackAdmission.class.getClassLoader());
    }

    public PackAdmission(Settings settings, AdmissionRules rules, ClassLoader loader) {
        this.settings = settings;
        this.rules = rules;
        this.loader = loader;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The rules for packs: {@link AdmissionRules#jdkAndAgentApi()} plus the pack SPI (the classes directly in
     * {@code org.nexusswarm.packs}) and the payload types of the modules a pack may use:
     * {@code org.nexusswarm.orchestrators.ComputeRequest}, {@code ComputeResult} and
     * {@code org.nexusswarm.delegators.TaskRuntime}, and the platform's own pure logics a rail may host
     * ({@code org.nexusswarm.delegators.DelegatorLogic}, {@code org.nexusswarm.orchestrators.OrchestratorLogic}:
     * step functions on the agent API, themselves free of everything the allow-list refuses).
     */
    public static AdmissionRules rules() {
        return AdmissionRules.jdkAndAgentApi().toBuilder()
                .allowPackage("org.nexusswarm.packs")
                .allowClass("org.nexusswarm.orchestrators.ComputeRequest")
                .allowClass("org.nexusswarm.orchestrators.ComputeResult")
                .allowClass("org.nexusswarm.delegators.TaskRuntime")
                .allowClass("org.nexusswarm.delegators.DelegatorLogic")
                .allowClass("org.nexusswarm.orchestrators.OrchestratorLogic")
                .build();
    }

    /** Checks pack {@code name} (its manifest names its class); nothing of the pack runs. */
    public Report inspect(String name, boolean requirePostQuantum) {
        Path file = settings.manifestFile(name);
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Report(name, Optional.empty(), Optional.empty(), List.of("no signed manifest at " + file
                    + " (a publisher signs it with 'swarm packs sign " + name + "')"), List.of(), List.of(),
                    settings.bytecode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        PackManifest manifest;
        try {
            manifest = PackManifest.parse(json);
        } catch (IllegalArgumentException e) {
            return new Report(name, Optional.empty(), Optional.empty(), List.of(file + ": " + e.getMessage()),
                    List.of(), List.of(), settings.bytecode());
        }
        return inspect(name, manifest, requirePostQuantum || settings.requirePostQuantum());
    }

    private Report inspect(String name, PackManifest manifest, boolean requirePostQuantum) {
        String packClass = manifest.packClass();
        List<String> packageProblems = new ArrayList<>();
        if (!manifest.pack().equals(name)) {
            packageProblems.add("the manifest is for pack '" + manifest.pack() + "', not '" + name + "'");
        }
        packageProblems.addAll(packageProblems(packClass));
        if (!packageProblems.isEmpty()) {
            return new Report(name, Optional.of(packClass), Optional.of(manifest), List.of(), List.of(),
                    packageProblems, settings.bytecode());
        }
        PackFiles files = PackFiles.locate(loader, packClass, RESOURCE_PREFIXES);
        TrustedPublishers trust = TrustedPublishers.load(settings.trustedPublishersFile());
        List<String> problems = manifest.problems(files, trust, requirePostQuantum);
        List<BytecodeFinding> findings = bytecodeFindings(files);
        return new Report(name, Optional.of(packClass), Optional.of(manifest), problems, findings, List.of(),
                settings.bytecode());
    }

    /** The allow-list's findings, then those of the payload records' shape ({@link PayloadShapeCheck}). */
    private List<BytecodeFinding> bytecodeFindings(PackFiles files) {
        List<BytecodeFinding> findings = new ArrayList<>(new BytecodeAdmission(rules).check(files));
        findings.addAll(PayloadShapeCheck.check(files));
        return List.copyOf(findings);
    }

    private List<String> packageProblems(String packClass) {
        List<String> problems = new ArrayList<>();
        int dot = packClass.lastIndexOf('.');
        String pkg = dot < 0 ? "" : packClass.substring(0, dot);
        if (pkg.isEmpty() || pkg.equals("org.nexusswarm.packs")
                || (pkg.startsWith("org.nexusswarm.") && !pkg.startsWith("org.nexusswarm.packs."))
                || pkg.startsWith("org.nexusswarm.packs.admission")) {
            problems.add("pack class " + packClass + " must live in its own package (not the unnamed package, the"
                    + " pack SPI's package or another Nexus package)");
        } else if (provider(packClass).isEmpty()) {
            problems.add("pack class " + packClass + " is not a registered pack (META-INF/services/"
                    + Pack.class.getName() + ")");
        }
        return problems;
    }

    private Optional<ServiceLoader.Provider<Pack>> provider(String packClass) {
        // Provider#type loads the class without initializing it: no pack code runs here.
        try (Stream<ServiceLoader.Provider<Pack>> s = ServiceLoader.load(Pack.class, loader).stream()) {
            return s.filter(p -> p.type().getName().equals(packClass)).findFirst();
        }
    }

    /**
     * The admitted pack {@code name}, instantiated only after its manifest verified (and its bytecode passed when
     * enforced); throws {@link PackRefusedException} with one line naming the reason otherwise.
     */
    public Pack admit(String name, boolean requirePostQuantum) {
        return admitted(name, requirePostQuantum).get();
    }

    /**
     * Admission first, instantiation later: throws {@link PackRefusedException} now for a refused pack; for an
     * admitted one returns what instantiates it. Nothing of the pack has run when this returns; its constructor (and
     * static initialiser) run when the supplier is called, so a caller can run them under a watchdog.
     */
    public java.util.function.Supplier<Pack> admitted(String name, boolean requirePostQuantum) {
        Report report = inspect(name, requirePostQuantum);
        if (!report.admitted()) {
            throw new PackRefusedException(report);
        }
        ServiceLoader.Provider<Pack> provider = provider(report.packClass().orElseThrow()).orElseThrow();
        return () -> {
            Pack pack = provider.get();
            if (!pack.name().equals(name)) {
                throw new PackRefusedException(new Report(name, report.packClass(), report.manifest(), List.of(),
                        List.of(), List.of("the pack class says its name is '" + pack.name() + "'"),
                        settings.bytecode()));
            }
            return pack;
        };
    }

    /** Every registered pack class with what admission says of it (by manifest where one names the class). */
    public List<Report> list() {
        List<Report> reports = new ArrayList<>();
        List<PackManifest> manifests = manifests();
        try (Stream<ServiceLoader.Provider<Pack>> s = ServiceLoader.load(Pack.class, loader).stream()) {
            for (ServiceLoader.Provider<Pack> p : s.toList()) {
                String cls = p.type().getName();
                Optional<PackManifest> m = manifests.stream().filter(x -> x.packClass().equals(cls)).findFirst();
                if (m.isPresent()) {
                    reports.add(inspect(m.get().pack(), false));
                } else {
                    List<String> pkg = packageProblems(cls);
                    List<BytecodeFinding> findings = pkg.isEmpty()
                            ? bytecodeFindings(PackFiles.locate(loader, cls, RESOURCE_PREFIXES))
                            : List.of();
                    reports.add(new Report("(unsigned " + cls.substring(cls.lastIndexOf('.') + 1) + ")",
                            Optional.of(cls), Optional.empty(), List.of("no signed manifest names " + cls + " in "
                            + settings.manifestDir()), findings, pkg, settings.bytecode()));
                }
            }
        }
        return reports;
    }

    private List<PackManifest> manifests() {
        List<PackManifest> out = new ArrayList<>();
        if (!Files.isDirectory(settings.manifestDir())) {
            return out;
        }
        try (Stream<Path> files = Files.list(settings.manifestDir())) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).sorted().toList()) {
                try {
                    out.add(PackManifest.parse(Files.readAllBytes(f)));
                } catch (IllegalArgumentException | IOException e) {
                    // An unreadable manifest admits nothing; 'packs verify' names the problem.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Signs pack {@code name} with {@code publisher} and writes its manifest. Signing is the publisher's act on
     * code they vouch for: to learn which class is pack {@code name} and its rails, this instantiates the
     * registered packs (on the publisher's machine, not on a node that verifies).
     */
    public PackManifest sign(String name, IssuerKeys publisher, boolean postQuantum, String version) {
        Pack pack = null;
        for (ServiceLoader.Provider<Pack> p : ServiceLoader.load(Pack.class, loader).stream().toList()) {
            Pack candidate = p.get();
            if (candidate.name().equals(name)) {
                pack = candidate;
            }
        }
        if (pack == null) {
            throw new IllegalArgumentException("unknown pack '" + name + "'");
        }
        String cls = pack.getClass().getName();
        PackFiles files = PackFiles.locate(loader, cls, RESOURCE_PREFIXES);
        PackManifest manifest = PackManifest.sign(name, cls, version, pack.railNames(), files, publisher, postQuantum);
        Path file = settings.manifestFile(name);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, manifest.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return manifest;
    }
}
