/// The TeX commands the converter knows, by kind.
enum TeXSymbols {
    /// Letters: Greek, and symbols used like variables (`\top` in Kᵀ).
    static let identifiers: [String: String] = [
        "\\alpha": "α", "\\beta": "β", "\\gamma": "γ", "\\delta": "δ", "\\epsilon": "ϵ", "\\varepsilon": "ε",
        "\\zeta": "ζ", "\\eta": "η", "\\theta": "θ", "\\iota": "ι", "\\kappa": "κ", "\\lambda": "λ", "\\mu": "μ",
        "\\nu": "ν", "\\xi": "ξ", "\\pi": "π", "\\rho": "ρ", "\\sigma": "σ", "\\tau": "τ", "\\upsilon": "υ",
        "\\phi": "ϕ", "\\varphi": "φ", "\\chi": "χ", "\\psi": "ψ", "\\omega": "ω",
        "\\Gamma": "Γ", "\\Delta": "Δ", "\\Theta": "Θ", "\\Lambda": "Λ", "\\Xi": "Ξ", "\\Pi": "Π", "\\Sigma": "Σ",
        "\\Phi": "Φ", "\\Psi": "Ψ", "\\Omega": "Ω",
        "\\top": "⊤", "\\infty": "∞", "\\partial": "∂", "\\nabla": "∇", "\\ell": "ℓ", "\\emptyset": "∅",
    ]
    /// Binary operators, relations, arrows and punctuation.
    static let operators: [String: String] = [
        "\\cdot": "·", "\\times": "×", "\\div": "÷", "\\pm": "±", "\\mp": "∓", "\\odot": "⊙", "\\otimes": "⊗",
        "\\circ": "∘", "\\le": "≤", "\\leq": "≤", "\\ge": "≥", "\\geq": "≥", "\\neq": "≠", "\\ne": "≠",
        "\\approx": "≈", "\\sim": "∼", "\\equiv": "≡", "\\propto": "∝", "\\in": "∈", "\\notin": "∉",
        "\\subset": "⊂", "\\to": "→", "\\rightarrow": "→", "\\leftarrow": "←", "\\Rightarrow": "⇒", "\\mapsto": "↦",
        "\\ldots": "…", "\\cdots": "⋯", "\\vdots": "⋮", "\\ddots": "⋱", "\\mid": "∣", "\\|": "‖",
        "\\{": "{", "\\}": "}", "\\langle": "⟨", "\\rangle": "⟩", "\\lfloor": "⌊", "\\rfloor": "⌋",
        "\\lceil": "⌈", "\\rceil": "⌉", "\\forall": "∀", "\\exists": "∃", "\\#": "#", "\\%": "%", "\\&": "&amp;",
        "\\_": "_", "\\$": "$",
    ]
    /// Delimiters among the operators: they keep their size unless `\\left`/`\\right` asks.
    static let fences: Set<String> = [
        "\\{", "\\}", "\\langle", "\\rangle", "\\lfloor", "\\rfloor", "\\lceil", "\\rceil", "\\|", "\\mid",
    ]
    /// Sums and products, drawn large.
    static let largeOperators: [String: String] = [
        "\\sum": "∑", "\\prod": "∏", "\\int": "∫", "\\max": "max", "\\min": "min", "\\argmax": "argmax",
    ]
    /// Named functions, set upright.
    static let functions: Set<String> = [
        "\\exp", "\\log", "\\ln", "\\sin", "\\cos", "\\tan", "\\tanh", "\\det", "\\dim", "\\rank", "\\softmax",
        "\\diag", "\\std", "\\var", "\\E",
    ]
    /// Spacing commands and their widths.
    static let spaces: [String: String] = [
        "\\,": "0.1667em", "\\:": "0.2222em", "\\;": "0.2778em", "\\!": "", "\\quad": "1em", "\\qquad": "2em",
        "\\ ": "0.25em",
    ]
}
