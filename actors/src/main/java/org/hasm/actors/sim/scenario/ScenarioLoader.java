package org.hasm.actors.sim.scenario;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hasm.actors.sim.scenario.Scenario.Aggregation;
import org.hasm.actors.sim.scenario.Scenario.Concentrator;
import org.hasm.actors.sim.scenario.Scenario.Shares;
import org.hasm.actors.sim.scenario.Scenario.Speed;
import org.hasm.actors.sim.scenario.Scenario.TimelineEvent;
import org.hasm.policy.Part;

/** Reads a scenario's HOCON into a {@link Scenario}; every mistake becomes one {@link ScenarioException} line. */
final class ScenarioLoader {
    private static final Set<String> TOP_LEVEL = Set.of("name", "description", "meters", "days", "seed", "interval", "speed",
            "shares", "aggregation", "concentrator", "timeline", "expect");
    private static final Set<String> SHARES = Set.of("prepaid", "pv", "gas", "load-balancing");
    private static final Map<String, Set<String>> ACTION_KEYS = Map.of(
            "operator-bulk-switch-off", Set.of("meters", "operator", "approvals"),
            "theft", Set.of("meter", "fraction", "until"),
            "log-flood", Set.of("meter", "commands"),
            "top-up", Set.of("meter", "cents"),
            "tariff-change", Set.of("off-peak", "peak", "peak-from", "peak-to"),
            "compromised-module", Set.of("meter", "part"),
            "tampering-concentrator", Set.of("mode", "count"));
    private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d+)]");
    private static final String SPEED_MAX = "as-fast-as-possible";
    private static final Part[] MODULES = Arrays.stream(Part.values()).filter(p -> p.kind() == Part.Kind.MODULE).toArray(Part[]::new);

    private final String source;

    private ScenarioLoader(String source) {
        this.source = source;
    }

    static Scenario load(String fileOrName) {
        if (fileOrName == null || fileOrName.isBlank()) {
            throw new ScenarioException("--scenario", 0, "", "expected a scenario file or one of " + known());
        }
        Path file = Path.of(fileOrName);
        if (Files.isRegularFile(file)) {
            try {
                return new ScenarioLoader(fileOrName).parse(Files.readString(file, StandardCharsets.UTF_8), baseName(file));
            } catch (IOException e) {
                throw new ScenarioException(fileOrName, 0, "", "cannot read it: " + e.getMessage());
            }
        }
        if (Files.isDirectory(file)) {
            throw new ScenarioException(fileOrName, 0, "", "is a directory; expected a scenario file or one of " + known());
        }
        // "theft.conf" outside scenarios/ means the shipped one too
        String name = fileOrName.endsWith(".conf") && file.getParent() == null
                ? fileOrName.substring(0, fileOrName.length() - 5) : fileOrName;
        if (Scenario.BUILT_IN.contains(name)) {
            String resource = "scenarios/" + name + ".conf";
            try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ScenarioException(resource, 0, "", "missing from the classpath (the build did not copy scenarios/)");
                }
                return new ScenarioLoader(resource).parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
            } catch (IOException e) {
                throw new ScenarioException(resource, 0, "", "cannot read it: " + e.getMessage());
            }
        }
        throw new ScenarioException("--scenario " + fileOrName, 0, "", "no such file, and no such scenario; known: " + known());
    }

    private static String known() {
        return String.join(", ", new TreeSet<>(Scenario.BUILT_IN));
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".conf") ? n.substring(0, n.length() - 5) : n;
    }

    private Scenario parse(String text, String defaultName) {
        Config root;
        try {
            root = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(source)).resolve();
        } catch (ConfigException e) {
            int line = e.origin() == null ? 0 : e.origin().lineNumber();
            throw new ScenarioException(source, line, "", "not valid HOCON: " + withoutOrigin(e));
        }
        try {
            return build(root, defaultName);
        } catch (ScenarioException e) {
            return rethrowWithLine(e, root);
        }
    }

    private Scenario build(Config root, String defaultName) {
        Fields top = new Fields(root, "");
        top.onlyKeys(TOP_LEVEL);
        Shares shares = Shares.NONE;
        if (root.hasPath("shares")) {
            Fields s = top.object("shares");
            s.onlyKeys(SHARES);
            shares = new Shares(s.decimal("prepaid", 0), s.decimal("pv", 0), s.decimal("gas", 0), s.decimal("load-balancing", 0));
        }
        List<TimelineEvent> timeline = new ArrayList<>();
        List<Fields> events = top.objects("timeline");
        for (Fields e : events) {
            timeline.add(event(e));
        }
        Map<Expectation, Long> expect = new EnumMap<>(Expectation.class);
        if (root.hasPath("expect")) {
            Fields x = top.object("expect");
            x.onlyKeys(Arrays.stream(Expectation.values()).map(Expectation::key).collect(Collectors.toSet()));
            for (String key : x.config.root().keySet()) {
                expect.put(Expectation.ofKey(key).orElseThrow(), x.whole(key, 0L, Long.MIN_VALUE, Long.MAX_VALUE));
            }
        }
        return new Scenario(top.string("name", defaultName), top.string("description", ""), source,
                (int) top.whole("meters", 1000L, Integer.MIN_VALUE, Integer.MAX_VALUE),
                (int) top.whole("days", 1L, Integer.MIN_VALUE, Integer.MAX_VALUE),
                top.whole("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE),
                top.duration("interval", Duration.ofMinutes(15)), speed(top),
                shares, top.choice("aggregation", Aggregation.ZERO_SUM, Aggregation.values(), Aggregation::key),
                top.choice("concentrator", Concentrator.HONEST, Concentrator.values(), Concentrator::key),
                timeline, expect);
    }

    private Speed speed(Fields top) {
        if (!top.config.hasPath("speed")) {
            return Speed.AS_FAST_AS_POSSIBLE;
        }
        ConfigValue v = top.config.getValue("speed");
        if (v.valueType() == ConfigValueType.STRING && SPEED_MAX.equals(v.unwrapped())) {
            return Speed.AS_FAST_AS_POSSIBLE;
        }
        if (v.valueType() == ConfigValueType.NUMBER && ((Number) v.unwrapped()).doubleValue() > 0) {
            return new Speed(((Number) v.unwrapped()).doubleValue());
        }
        throw top.fail("speed", "expected " + SPEED_MAX + " or a factor above 0 (simulated seconds per second), got "
                + render(v));
    }

    private TimelineEvent event(Fields e) {
        String action = e.required("action", "one of " + String.join(", ", Action.NAMES));
        ScenarioTime at = e.time("at").orElseThrow(() -> e.fail("at", "expected a time like \"day 1 18:00\", got nothing"));
        Set<String> allowed = ACTION_KEYS.get(action);
        if (allowed == null) {
            throw e.fail("action", "expected one of " + String.join(", ", Action.NAMES) + ", got \"" + action + "\"");
        }
        Set<String> keys = new TreeSet<>(allowed);
        keys.add("at");
        keys.add("action");
        e.onlyKeys(keys);
        Action a = switch (action) {
            case "operator-bulk-switch-off" -> new Action.OperatorBulkSwitchOff(bulkMeters(e),
                    e.required("operator", "the operator's name"), e.strings("approvals"));
            case "theft" -> new Action.Theft(e.meter(), e.requiredDecimal("fraction"), e.time("until"));
            case "log-flood" -> new Action.LogFlood(e.meter(), (int) e.requiredWhole("commands", Integer.MAX_VALUE));
            case "top-up" -> new Action.TopUp(e.meter(), e.requiredWhole("cents", Long.MAX_VALUE));
            case "tariff-change" -> new Action.TariffChange(e.requiredWhole("off-peak", Long.MAX_VALUE),
                    e.requiredWhole("peak", Long.MAX_VALUE), (int) e.requiredWhole("peak-from", 24),
                    (int) e.requiredWhole("peak-to", 24));
            case "compromised-module" -> new Action.CompromisedModule(e.meter(), e.requiredChoice("part", MODULES, Part::name));
            case "tampering-concentrator" -> new Action.TamperingConcentrator(
                    e.requiredChoice("mode", Action.TamperingConcentrator.Mode.values(), m -> m.name().toLowerCase(Locale.ROOT)),
                    (int) e.requiredWhole("count", Integer.MAX_VALUE));
            default -> throw new IllegalStateException(action);
        };
        return new TimelineEvent(at, a);
    }

    private Optional<Integer> bulkMeters(Fields e) {
        ConfigValue v = e.config.hasPath("meters") ? e.config.getValue("meters") : null;
        if (v == null) {
            throw e.fail("meters", "expected all or a number of meters, got nothing");
        }
        if (v.valueType() == ConfigValueType.STRING && "all".equals(v.unwrapped())) {
            return Optional.empty();
        }
        return Optional.of((int) e.whole("meters", 0L, Integer.MIN_VALUE, Integer.MAX_VALUE, "all or a number of meters"));
    }

    /** Adds the line the failing path sits on, as far as the file says. */
    private static Scenario rethrowWithLine(ScenarioException e, Config root) {
        throw e.atLine(lineOf(root, e.path()));
    }

    static int lineOf(Config root, String path) {
        int line = 0;
        ConfigValue at = root.root();
        for (String step : path.isEmpty() ? new String[0] : path.split("\\.")) {
            Matcher m = INDEXED.matcher(step);
            String key = m.matches() ? m.group(1) : step;
            if (!(at instanceof ConfigObject o) || !o.containsKey(key)) {
                break;
            }
            at = o.get(key);
            line = Math.max(line, at.origin().lineNumber());
            if (m.matches()) {
                int i = Integer.parseInt(m.group(2));
                if (!(at instanceof ConfigList l) || i >= l.size()) {
                    break;
                }
                at = l.get(i);
                line = Math.max(line, at.origin().lineNumber());
            }
        }
        return line;
    }

    private static String withoutOrigin(ConfigException e) {
        String msg = e.getMessage();
        if (e.origin() != null && msg.startsWith(e.origin().description() + ": ")) {
            msg = msg.substring(e.origin().description().length() + 2);
        }
        return msg;
    }

    private static String render(ConfigValue v) {
        return v.render(ConfigRenderOptions.concise());
    }

    /** One object of the file with its path, e.g. {@code timeline[2]}: typed reads that fail as one line. */
    private final class Fields {
        final Config config;
        final String path;

        Fields(Config config, String path) {
            this.config = config;
            this.path = path;
        }

        String pathOf(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        ScenarioException fail(String key, String problem) {
            int line = config.hasPathOrNull(key) ? config.getValue(key).origin().lineNumber()
                    : config.root().origin().lineNumber();
            return new ScenarioException(source, line, pathOf(key), problem);
        }

        void onlyKeys(Set<String> allowed) {
            for (String key : new TreeSet<>(config.root().keySet())) {
                if (!allowed.contains(key)) {
                    ConfigValue v = config.root().get(key);
                    throw new ScenarioException(source, v.origin().lineNumber(), pathOf(key),
                            "unknown key; expected one of " + String.join(", ", new TreeSet<>(allowed)));
                }
            }
        }

        Fields object(String key) {
            ConfigValue v = config.getValue(key);
            if (v.valueType() != ConfigValueType.OBJECT) {
                throw fail(key, "expected { ... }, got " + render(v));
            }
            return new Fields(((ConfigObject) v).toConfig(), pathOf(key));
        }

        List<Fields> objects(String key) {
            if (!config.hasPath(key)) {
                return List.of();
            }
            ConfigValue v = config.getValue(key);
            if (v.valueType() != ConfigValueType.LIST) {
                throw fail(key, "expected a list [ { at = \"day 1 18:00\", action = ... }, ... ], got " + render(v));
            }
            List<Fields> out = new ArrayList<>();
            ConfigList list = (ConfigList) v;
            for (int i = 0; i < list.size(); i++) {
                ConfigValue item = list.get(i);
                String itemPath = pathOf(key) + "[" + i + "]";
                if (item.valueType() != ConfigValueType.OBJECT) {
                    throw new ScenarioException(source, item.origin().lineNumber(), itemPath,
                            "expected { at = \"day 1 18:00\", action = ... }, got " + render(item));
                }
                out.add(new Fields(((ConfigObject) item).toConfig(), itemPath));
            }
            return out;
        }

        String string(String key, String dflt) {
            if (!config.hasPath(key)) {
                return dflt;
            }
            ConfigValue v = config.getValue(key);
            if (v.valueType() != ConfigValueType.STRING) {
                throw fail(key, "expected text, got " + render(v));
            }
            return (String) v.unwrapped();
        }

        String required(String key, String expected) {
            if (!config.hasPath(key)) {
                throw fail(key, "expected " + expected + ", got nothing");
            }
            return string(key, null);
        }

        long whole(String key, long dflt, long min, long max) {
            return whole(key, dflt, min, max, "a whole number");
        }

        long whole(String key, long dflt, long min, long max, String expected) {
            if (!config.hasPath(key)) {
                return dflt;
            }
            ConfigValue v = config.getValue(key);
            if (v.valueType() == ConfigValueType.NUMBER && v.unwrapped() instanceof Number n
                    && (n instanceof Integer || n instanceof Long) && n.longValue() >= min && n.longValue() <= max) {
                return n.longValue();
            }
            throw fail(key, "expected " + expected + ", got " + render(v));
        }

        long requiredWhole(String key, long max) {
            if (!config.hasPath(key)) {
                throw fail(key, "expected a whole number, got nothing");
            }
            return whole(key, 0, Long.MIN_VALUE, max, "a whole number up to " + max);
        }

        double decimal(String key, double dflt) {
            if (!config.hasPath(key)) {
                return dflt;
            }
            ConfigValue v = config.getValue(key);
            if (v.valueType() != ConfigValueType.NUMBER) {
                throw fail(key, "expected a number, got " + render(v));
            }
            return ((Number) v.unwrapped()).doubleValue();
        }

        double requiredDecimal(String key) {
            if (!config.hasPath(key)) {
                throw fail(key, "expected a number, got nothing");
            }
            return decimal(key, 0);
        }

        int meter() {
            if (!config.hasPath("meter")) {
                throw fail("meter", "expected a meter number (0 for the first household), got nothing");
            }
            return (int) whole("meter", 0, Integer.MIN_VALUE, Integer.MAX_VALUE, "a meter number (0 for the first household)");
        }

        Duration duration(String key, Duration dflt) {
            if (!config.hasPath(key)) {
                return dflt;
            }
            try {
                return config.getDuration(key);
            } catch (ConfigException e) {
                throw fail(key, "expected a duration like 15 minutes, got " + render(config.getValue(key)));
            }
        }

        Optional<ScenarioTime> time(String key) {
            if (!config.hasPath(key)) {
                return Optional.empty();
            }
            ConfigValue v = config.getValue(key);
            Optional<ScenarioTime> t = v.valueType() == ConfigValueType.STRING ? ScenarioTime.parse((String) v.unwrapped())
                    : Optional.empty();
            return Optional.of(t.orElseThrow(() -> fail(key,
                    "expected a time like \"day 1 18:00\" (day from 1, hour 0-23), got " + render(v))));
        }

        List<String> strings(String key) {
            if (!config.hasPath(key)) {
                return List.of();
            }
            ConfigValue v = config.getValue(key);
            if (v instanceof ConfigList l && l.stream().allMatch(x -> x.valueType() == ConfigValueType.STRING)) {
                return l.stream().map(x -> (String) x.unwrapped()).toList();
            }
            throw fail(key, "expected a list of names like [\"alice\", \"bob\"], got " + render(v));
        }

        <E> E choice(String key, E dflt, E[] options, Function<E, String> name) {
            return config.hasPath(key) ? requiredChoice(key, options, name) : dflt;
        }

        <E> E requiredChoice(String key, E[] options, Function<E, String> name) {
            String expected = "one of " + Arrays.stream(options).map(name).collect(Collectors.joining(", "));
            String given = required(key, expected);
            return Arrays.stream(options).filter(o -> name.apply(o).equals(given)).findFirst()
                    .orElseThrow(() -> fail(key, "expected " + expected + ", got \"" + given + "\""));
        }
    }
}
