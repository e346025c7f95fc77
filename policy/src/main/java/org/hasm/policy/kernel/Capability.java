package org.hasm.policy.kernel;

import org.hasm.policy.Part;

/**
 * The kernel's proof that a channel from {@code sender} to {@code receiver} was wired by it. Only the
 * kernel package can make one, and the guard accepts only capabilities issued by its own kernel, so
 * a part can neither claim another part's identity nor use one meter's wiring at another meter.
 */
public final class Capability {
    private final Kernel issuer;
    private final Part sender;
    private final Part receiver;

    Capability(Kernel issuer, Part sender, Part receiver) {
        this.issuer = issuer;
        this.sender = sender;
        this.receiver = receiver;
    }

    Kernel issuer() {
        return issuer;
    }

    public Part sender() {
        return sender;
    }

    public Part receiver() {
        return receiver;
    }

    @Override
    public String toString() {
        return "Capability[" + sender + " -> " + receiver + " @" + issuer.meterId() + "]";
    }
}
