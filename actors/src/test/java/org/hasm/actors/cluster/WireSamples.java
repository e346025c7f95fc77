package org.hasm.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.meter.Tariff;

/**
 * Filled-in instances of message types, made by reflection over record components so that a new message
 * needs no test code, and a field-wise comparison that looks inside byte arrays and collections.
 */
final class WireSamples {
    private final Random random;
    private final ActorRef<?> ref;

    WireSamples(long seed, ActorRef<?> ref) {
        this.random = new Random(seed);
        this.ref = ref;
    }

    /** A value of {@code type} with every component set; {@code variant} picks among a sealed interface's kinds. */
    Object sample(Type type, int variant) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return List.of(sample(args[0], variant), sample(args[0], variant + 1));
            }
            if (raw == Set.class) {
                return Set.of(sample(args[0], variant));
            }
            if (raw == Map.class) {
                return Map.of(sample(args[0], variant), sample(args[1], variant));
            }
            if (raw == Optional.class) {
                return Optional.of(sample(args[0], variant));
            }
            return sample(raw, variant);
        }
        Class<?> c = (Class<?>) type;
        if (c == long.class || c == Long.class) {
            return (long) random.nextInt(1, 1_000_000);
        } else if (c == int.class || c == Integer.class) {
            return random.nextInt(1, 1_000);
        } else if (c == boolean.class || c == Boolean.class) {
            return true; // not the default, so a dropped field shows
        } else if (c == double.class || c == Double.class) {
            return random.nextDouble() / 2;
        } else if (c == String.class) {
            return "s" + random.nextInt(1_000_000);
        } else if (c == byte[].class) {
            byte[] b = new byte[1 + random.nextInt(48)];
            random.nextBytes(b);
            return b;
        } else if (c == BigInteger.class) {
            return new BigInteger(256, random).setBit(255);
        } else if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[random.nextInt(constants.length)];
        } else if (ActorRef.class.isAssignableFrom(c)) {
            return ref;
        } else if (c == Tariff.class) {
            return Tariff.timeOfUse(random.nextInt(1, 20_000), random.nextInt(20_000, 40_000), 17, 21); // 24 prices
        } else if (c.isRecord()) {
            return construct(c, variant);
        } else if (c.isSealed()) {
            Class<?>[] kinds = c.getPermittedSubclasses();
            return sample(kinds[variant % kinds.length], variant);
        }
        throw new IllegalArgumentException("WireSamples cannot make a " + c.getName() + ": teach it this type");
    }

    private Object construct(Class<?> record, int variant) {
        RecordComponent[] components = record.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            JsonSubTypes.Type[] kinds = namedKinds(record, components[i]);
            values[i] = kinds.length > 0 ? sample(kinds[variant % kinds.length].value(), variant)
                    : sample(components[i].getGenericType(), variant);
            types[i] = components[i].getType();
        }
        try {
            var constructor = record.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + record.getName() + " from " + Arrays.deepToString(values), e);
        }
    }

    /**
     * The kinds a component declared as an interface names with {@code @JsonSubTypes} (e.g. a bridged meter
     * payload); Jackson's annotations on a record component land on its field.
     */
    private static JsonSubTypes.Type[] namedKinds(Class<?> record, RecordComponent component) {
        try {
            JsonSubTypes kinds = record.getDeclaredField(component.getName()).getAnnotation(JsonSubTypes.class);
            return kinds == null ? new JsonSubTypes.Type[0] : kinds.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("a record without the field of its component " + component.getName(), e);
        }
    }

    /** How many samples cover every kind of every sealed interface reachable from {@code type}'s components. */
    static int variants(Type type) {
        return variants(type, new HashSet<>());
    }

    private static int variants(Type type, Set<Type> seen) {
        if (!seen.add(type)) {
            return 1;
        }
        if (type instanceof ParameterizedType p) {
            int n = 1;
            for (Type a : p.getActualTypeArguments()) {
                n = Math.max(n, variants(a, seen));
            }
            return n;
        }
        if (!(type instanceof Class<?> c)) {
            return 1;
        }
        int n = 1;
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                n = Math.max(n, variants(rc.getGenericType(), seen));
                JsonSubTypes.Type[] kinds = namedKinds(c, rc);
                n = Math.max(n, kinds.length);
                for (JsonSubTypes.Type kind : kinds) {
                    n = Math.max(n, variants(kind.value(), seen));
                }
            }
        } else if (c.isSealed() && !c.isEnum()) {
            n = c.getPermittedSubclasses().length;
            for (Class<?> k : c.getPermittedSubclasses()) {
                n = Math.max(n, variants(k, seen));
            }
        }
        return n;
    }

    /** Field by field: records by component, arrays by content, collections by element, whatever their class. */
    static void assertSameValue(Object expected, Object actual, String where) {
        if (expected == null) {
            assertEquals(null, actual, where);
            return;
        }
        assertNotNull(actual, where);
        if (expected instanceof byte[] e) {
            assertArrayEquals(e, assertInstanceOf(byte[].class, actual, where), where);
        } else if (expected instanceof List<?> e) {
            List<?> a = assertInstanceOf(List.class, actual, where);
            assertEquals(e.size(), a.size(), where + ": size");
            for (int i = 0; i < e.size(); i++) {
                assertSameValue(e.get(i), a.get(i), where + "[" + i + "]");
            }
        } else if (expected instanceof Set<?> e) {
            Set<?> a = assertInstanceOf(Set.class, actual, where);
            assertEquals(e.size(), a.size(), where + ": size");
            assertTrue(a.containsAll(e), where + ": " + a + " instead of " + e);
        } else if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = assertInstanceOf(Map.class, actual, where);
            assertEquals(e.keySet(), a.keySet(), where + ": keys");
            for (var entry : e.entrySet()) {
                assertSameValue(entry.getValue(), a.get(entry.getKey()), where + "[" + entry.getKey() + "]");
            }
        } else if (expected.getClass().isRecord()) {
            assertEquals(expected.getClass(), actual.getClass(), where);
            for (RecordComponent rc : expected.getClass().getRecordComponents()) {
                assertSameValue(read(rc, expected), read(rc, actual), where + "." + rc.getName());
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private static Object read(RecordComponent rc, Object record) {
        try {
            var accessor = rc.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
