package io.fxflink.router.routing;

/**
 * What state keeps per links-topic key: the newest version seen and its JSON, or a delete marker
 * (json == null) that remembers the version so an older, reordered upsert cannot resurrect it.
 */
public class LinkStateEntry {
    public long version;
    public byte[] json;

    public LinkStateEntry() {}

    public static LinkStateEntry of(long version, byte[] json) {
        LinkStateEntry e = new LinkStateEntry();
        e.version = version;
        e.json = json;
        return e;
    }

    public boolean isDeleted() {
        return json == null;
    }

    /** Whether an upsert with {@code version} is older than or equal to what this entry holds. */
    public boolean supersedes(long version) {
        return version <= this.version;
    }
}
