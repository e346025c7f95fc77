package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.DisabledJavaSerializer;
import org.apache.pekko.serialization.JavaSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.link.CentralSystemLink;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.FeederMeter;
import org.hasm.actors.meter.MeterSignals;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.hasm.actors.link.WireMessage;

/**
 * Every message that may cross between the nodes of the three roles goes through the actor system's own
 * serializer and comes back equal (docs/cluster.md). The types are found, not listed: every class of the
 * actors module that is a {@link WireMessage}, checked against what the protocols and the policy say crosses.
 */
class WireMessageTest {
    /** The classes whose protocols cross nodes (docs/cluster.md); their messages are found by reflection. */
    private static final List<Class<?>> PROTOCOLS = List.of(CentralSystemLink.class,
            DataConcentrator.class, FeederMeter.class, MeterAccount.class, OperatorGateway.class, CentralSystem.class);

    private static ActorTestKit testKit;
    private static Serialization serialization;
    private static WireSamples samples;

    @BeforeAll
    static void start() {
        // a cluster provider as on a real node, so ActorRefs carry their node's address; Java serialization
        // as reference.conf leaves it, not as ClusterSettings states it
        testKit = ActorTestKit.create("wire", ClusterSettings.oneNode().withoutPath("pekko.actor.allow-java-serialization")
                .withFallback(ConfigFactory.load()));
        serialization = SerializationExtension.get(testKit.system().classicSystem());
        samples = new WireSamples(20_161_107L, testKit.createTestProbe().getRef());
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void everyWireMessageRoundTripsThroughJacksonCbor() throws Exception {
        Set<Class<?>> found = wireMessageClasses();
        List<String> failures = new ArrayList<>();
        for (Class<?> type : found) {
            for (int variant = 0; variant < WireSamples.variants(type); variant++) {
                Object message = samples.sample(type, variant);
                try {
                    Serializer serializer = serialization.findSerializerFor(message);
                    assertInstanceOf(JacksonCborSerializer.class, serializer, type.getName());
                    byte[] bytes = serialization.serialize(message).get();
                    Object back = serialization.deserialize(bytes, serializer.identifier(),
                            Serializers.manifestFor(serializer, message)).get();
                    WireSamples.assertSameValue(message, back, type.getSimpleName());
                } catch (Throwable e) {
                    failures.add(type.getName() + " (sample " + variant + "): " + e);
                }
            }
        }
        assertEquals(List.of(), failures, "wire messages that do not round-trip");
    }

    @Test
    void everyMessageOfTheCrossNodeProtocolsHasAWireBinding() throws Exception {
        Set<Class<?>> messages = protocolMessages();
        List<String> unbound = new ArrayList<>();
        for (Class<?> type : messages) {
            if (!isWireMessage(type) && !NoSerializationVerificationNeeded.class.isAssignableFrom(type)) {
                unbound.add(type.getName() + " (" + bindingOf(type) + ")");
            }
        }
        assertEquals(List.of(), unbound, "messages of cross-node protocols that are neither WireMessage nor marked in-process only");
        // the scan that the round trip relies on sees at least what the protocols name
        Set<Class<?>> ours = new LinkedHashSet<>(messages);
        ours.removeIf(c -> c.isInterface() || !WireMessage.class.isAssignableFrom(c));
        assertFalse(ours.isEmpty());
        assertTrue(wireMessageClasses().containsAll(ours), "the class scan misses some of " + ours);
    }

    @Test
    void everyMeterSignalOnTheConcentratorInterfaceIsAWireMessage() {
        FlowPolicy policy = FlowPolicy.shipped();
        Set<MessageType> acrossTheInterface = EnumSet.noneOf(MessageType.class);
        acrossTheInterface.addAll(policy.typesOn(Part.Communications, Part.DataConcentrator));
        acrossTheInterface.addAll(policy.typesOn(Part.DataConcentrator, Part.Communications));
        assertFalse(acrossTheInterface.isEmpty());
        Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
        List<String> unmarked = new ArrayList<>();
        for (Class<?> signal : MeterSignals.class.getDeclaredClasses()) {
            if (!signal.isRecord() || !PolicyMessage.class.isAssignableFrom(signal)) {
                continue;
            }
            MessageType type = ((PolicyMessage) samples.sample(signal, 0)).messageType();
            if (acrossTheInterface.contains(type)) {
                covered.add(type);
                if (!WireMessage.class.isAssignableFrom(signal)) {
                    unmarked.add(signal.getSimpleName() + " (" + type + ")");
                }
            }
        }
        assertEquals(List.of(), unmarked, "signals the policy lets cross between Communications and the concentrator");
        assertEquals(acrossTheInterface, covered, "policy types on the concentrator interface with no signal record");
    }

    /** Not on the wire by mistake: a record without a binding, or one that only Java serialization could carry. */
    record Unbound(String text) {
    }

    record JavaOnly(String text) implements Serializable {
    }

    @Test
    void aMessageWithoutABindingIsRefusedNotSentByJavaSerialization() throws Exception {
        assertThrows(NotSerializableException.class, () -> serialization.serializerFor(Unbound.class));
        assertTrue(serialization.serialize(new Unbound("x")).isFailure());

        assertInstanceOf(DisabledJavaSerializer.class, serialization.serializerFor(JavaOnly.class));
        Throwable refused = serialization.serialize(new JavaOnly("x")).failed().get();
        assertInstanceOf(DisabledJavaSerializer.JavaSerializationException.class, refused);
    }

    // ---- finding the types ---------------------------------------------------------------------

    /** Every concrete class of the actors module (where WireMessage lives) that implements it. */
    private static Set<Class<?>> wireMessageClasses() throws IOException, URISyntaxException {
        Path root = Path.of(WireMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<Class<?>> found = new TreeSet<>(Comparator.comparing(Class::getName));
        if (Files.isDirectory(root)) {
            collect(root, found);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                collect(jar.getPath("/"), found);
            }
        }
        return found;
    }

    private static void collect(Path root, Set<Class<?>> found) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = root.relativize(f).toString().replace('\\', '/');
                if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.endsWith("package-info.class")) {
                    continue;
                }
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    Class<?> c = Class.forName(className, false, WireMessage.class.getClassLoader());
                    if (WireMessage.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                        found.add(c);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + className, e);
                }
            }
        }
    }

    /**
     * What each cross-node protocol names as a message: the records of its {@code Command} interface (all
     * nested records if it has none, a pure link protocol) and the type of every {@code ActorRef<T>} in its
     * records (replies and outputs), sealed interfaces opened to their kinds.
     */
    private static Set<Class<?>> protocolMessages() {
        Set<Class<?>> messages = new TreeSet<>(Comparator.comparing(Class::getName));
        for (Class<?> protocol : PROTOCOLS) {
            List<Class<?>> nested = Arrays.asList(protocol.getDeclaredClasses());
            List<Class<?>> commands = nested.stream().filter(c -> c.isInterface() && c.getSimpleName().equals("Command")).toList();
            for (Class<?> c : nested) {
                if (!c.isRecord() || !Modifier.isPublic(c.getModifiers())) {
                    continue;
                }
                boolean command = commands.stream().anyMatch(i -> i.isAssignableFrom(c));
                if (command || (commands.isEmpty() && !isConfiguration(c))) {
                    messages.add(c);
                }
                for (RecordComponent rc : c.getRecordComponents()) {
                    if (ActorRef.class.isAssignableFrom(rc.getType()) && rc.getGenericType() instanceof ParameterizedType p) {
                        addKinds(p.getActualTypeArguments()[0], messages);
                    }
                }
            }
        }
        return messages;
    }

    /** Handed over when an actor is made, never sent: Settings, Links and Handles hold local wiring. */
    private static boolean isConfiguration(Class<?> c) {
        return Set.of("Settings", "Links", "Handles").contains(c.getSimpleName());
    }

    private static void addKinds(Type t, Set<Class<?>> into) {
        Class<?> c = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
        if (c.isSealed() && !c.isEnum()) {
            for (Class<?> k : c.getPermittedSubclasses()) {
                addKinds(k, into);
            }
        } else {
            into.add(c);
        }
    }

    /** A WireMessage, or a type with its own non-Java serializer in Pekko (ShardingEnvelope, Integer, String). */
    private static boolean isWireMessage(Class<?> type) {
        if (WireMessage.class.isAssignableFrom(type)) {
            return true;
        }
        if (type.getName().startsWith("org.hasm.")) {
            return false;
        }
        try {
            Serializer s = serialization.serializerFor(type);
            return !(s instanceof JavaSerializer) && !(s instanceof DisabledJavaSerializer);
        } catch (NotSerializableException e) {
            return false;
        }
    }

    private static String bindingOf(Class<?> type) {
        try {
            return "serializer " + serialization.serializerFor(type).getClass().getSimpleName();
        } catch (NotSerializableException e) {
            return "no binding";
        }
    }
}
