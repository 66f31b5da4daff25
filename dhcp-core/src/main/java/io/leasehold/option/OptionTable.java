package io.leasehold.option;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The definitions of one option space, looked up by code or by name.
 *
 * <p>Codes nobody defined resolve to an {@link OptionDef#unknown} definition, never to an error:
 * an unknown option is carried as raw bytes. Names resolve case-insensitively through canonical
 * names and aliases, and a decimal code is a name too ({@code "121"}), as in dnsmasq opts files.
 */
public final class OptionTable {

    private final OptionSpace space;
    private final Map<Integer, OptionDef<?>> byCode;
    private final Map<String, OptionDef<?>> byName;
    private final OptionDef<?>[] fastByCode;

    private OptionTable(OptionSpace space, Map<Integer, OptionDef<?>> byCode, Map<String, OptionDef<?>> byName) {
        this.space = space;
        this.byCode = Collections.unmodifiableMap(new TreeMap<>(byCode));
        this.byName = Map.copyOf(byName);
        // The DHCPv4 space is small enough for an array, which the packet path indexes directly.
        this.fastByCode = new OptionDef<?>[256];
        for (int code = 0; code < fastByCode.length; code++) {
            OptionDef<?> d = byCode.get(code);
            fastByCode[code] = d != null ? d : (code <= space.maxCode() ? OptionDef.unknown(space, code) : null);
        }
    }

    /**
     * A table of {@code defs}.
     *
     * @throws IllegalArgumentException when two definitions share a code or a name, or a definition
     *         belongs to another space
     */
    public static OptionTable of(OptionSpace space, List<OptionDef<?>> defs) {
        Map<Integer, OptionDef<?>> byCode = new HashMap<>();
        Map<String, OptionDef<?>> byName = new HashMap<>();
        for (OptionDef<?> d : defs) {
            if (d.space() != space) {
                throw new IllegalArgumentException(d + ": belongs to " + d.space() + ", not " + space);
            }
            OptionDef<?> old = byCode.put(d.code(), d);
            if (old != null) {
                throw new IllegalArgumentException("option code " + d.code() + ": defined twice (" + old.name()
                        + ", " + d.name() + ")");
            }
            List<String> names = new ArrayList<>(d.aliases());
            names.add(0, d.name());
            for (String n : names) {
                OptionDef<?> clash = byName.put(n.toLowerCase(Locale.ROOT), d);
                if (clash != null && clash != d) {
                    throw new IllegalArgumentException("option name '" + n + "': used by " + clash.label()
                            + " and " + d.label());
                }
            }
        }
        return new OptionTable(space, byCode, byName);
    }

    public OptionSpace space() {
        return space;
    }

    /** The definition of {@code code}: a known one, or an unknown raw-bytes one. */
    public OptionDef<?> byCode(int code) {
        if (code >= 0 && code < fastByCode.length && fastByCode[code] != null) {
            return fastByCode[code];
        }
        OptionDef<?> d = byCode.get(space.checkCode(code));
        return d != null ? d : OptionDef.unknown(space, code);
    }

    /** True when {@code code} has a known definition. */
    public boolean isKnown(int code) {
        return byCode.containsKey(code);
    }

    /**
     * The definition named {@code name} (canonical, alias or decimal code, any case), or null when
     * nothing has that name.
     */
    public OptionDef<?> byName(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        OptionDef<?> d = byName.get(key);
        if (d != null) {
            return d;
        }
        if (!key.isEmpty() && key.chars().allMatch(Character::isDigit) && key.length() <= 5) {
            int code = Integer.parseInt(key);
            if (code <= space.maxCode()) {
                return byCode(code);
            }
        }
        return null;
    }

    /** Every known definition, by ascending code. */
    public List<OptionDef<?>> all() {
        return List.copyOf(byCode.values());
    }

    /** Every name and alias, lowercase, mapped to its definition. */
    public Map<String, OptionDef<?>> names() {
        return byName;
    }
}
