package org.hasm.actors.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every hasm HTML report is made of: a template with {@code @NAME@} placeholders, filled with
 * values the caller has escaped; HTML escaping; JSON by one Jackson mapper (pretty for files, compact and
 * safe inside a {@code <script>} element for the page's data); and uPlot, inlined from its webjar so a
 * page opens offline. Used by the simulation's, the load test's and the forensic (replay) reports.
 */
public final class ReportKit {
    private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z_]+)@");
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);
    private static final String UPLOT = "META-INF/resources/webjars/uplot/";
    private static final String KIT = "org/hasm/actors/report/";

    private ReportKit() {
    }

    /**
     * The template {@code name} next to {@code owner}'s class (same package, as a resource) with each
     * {@code @NAME@} replaced by {@code values.get(NAME)}, inserted as it is: escape text before. A
     * placeholder without a value is an error, so no page goes out half filled.
     */
    public static String fill(Class<?> owner, String name, Map<String, String> values) {
        String resource = owner.getPackageName().replace('.', '/') + "/" + name;
        Matcher m = PLACEHOLDER.matcher(resource(resource));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.getOrDefault(m.group(1), kit(m.group(1)));
            if (value == null) {
                throw new IllegalArgumentException(resource + " has " + m.group() + " but no value was given for it");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /**
     * What the kit itself fills: {@code @KIT_CSS@} (uPlot's style sheet and the reports' common styles) and
     * {@code @KIT_JS@} (uPlot and the common chart helpers, {@code PALETTE} and {@code note}).
     */
    private static String kit(String placeholder) {
        return switch (placeholder) {
            case "KIT_CSS" -> uplotCss() + "\n" + resource(KIT + "kit.css");
            case "KIT_JS" -> uplotJs() + "\n" + inScript(resource(KIT + "kit.js"));
            default -> null;
        };
    }

    /** Text as HTML element content or attribute value. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** {@code <tag class="cssClass">escaped text</tag>}; no class attribute when {@code cssClass} is null. */
    public static String element(String tag, String cssClass, String text) {
        return "<" + tag + (cssClass == null ? "" : " class=\"" + cssClass + "\"") + ">" + escape(text) + "</" + tag + ">";
    }

    /** The mapper of every JSON file hasm writes (indented); also to read them back. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as an indented JSON document ending in a newline. */
    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as compact JSON to put inside a {@code <script>} element as a JavaScript literal. */
    public static String scriptJson(Object value) {
        try {
            return inScript(COMPACT.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** uPlot's style sheet, to inline in a {@code <style>} element. */
    public static String uplotCss() {
        return resource(UPLOT + uplotVersion() + "/dist/uPlot.min.css");
    }

    /** uPlot's script, to inline in a {@code <script>} element. */
    public static String uplotJs() {
        return inScript(resource(UPLOT + uplotVersion() + "/dist/uPlot.iife.min.js"));
    }

    /** "</" would end the script element early; "<\/" means the same to JavaScript. */
    private static String inScript(String script) {
        return script.replace("</", "<\\/");
    }

    /** The uPlot webjar's version, from its Maven metadata, so a version bump in the pom needs no change here. */
    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = ReportKit.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath (the uPlot webjar or a report template is missing)");
        }
        return in;
    }
}
